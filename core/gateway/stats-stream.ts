// One gateway's Stats stream: PeerStats arrive one message each; they are stored in batches (one
// statement per batch), and each VPN session they start is audited.
import type * as grpc from "@grpc/grpc-js";
import type postgres from "postgres";
import type { AuditLog } from "../audit/audit-log.ts";
import type { Empty, StatsUpdate__Output } from "../../shared/gateway-proto.ts";
import type { Logger } from "../../shared/logger.ts";
import type { GatewayIdentity } from "./gateway-auth.ts";
import { endpointIp, type PeerFigures, storePeerFigures } from "./stats-store.ts";

/** Figures wait this long for others before they are written together. */
const STATS_FLUSH_MS = 100;
/** A batch this big is written at once. */
const STATS_BATCH_MAX = 1_000;

export interface StatsStreamDeps {
  sql: postgres.Sql;
  audit?: AuditLog;
  log: Logger;
}

/** Reads `call` until the gateway ends it, storing what it reports; answers Empty then. */
export function serveStatsStream(
  call: grpc.ServerReadableStream<StatsUpdate__Output, Empty>,
  callback: grpc.sendUnaryData<Empty>,
  gateway: GatewayIdentity,
  deps: StatsStreamDeps,
): void {
  const { log } = deps;
  let batch: PeerFigures[] = [];
  /** Writes in flight, in order: the next batch waits for the one before. */
  let writing: Promise<void> = Promise.resolve();
  /** The timer that writes `batch`; undefined while nothing waits. */
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const figures = batch;
    batch = [];
    if (figures.length === 0) return;
    writing = writing.then(async () => {
      try {
        const started = await storePeerFigures(deps.sql, gateway.networkId, figures);
        for (const session of started) {
          deps.audit?.record({
            event: "vpn_client_connected",
            outcome: "success",
            username: session.username,
            ipAddress: endpointIp(session.endpoint),
            details: { device: session.device_name, location: session.network_name, gateway: gateway.hostname },
          });
        }
      } catch (err) {
        log.error(`Cannot store stats from gateway ${gateway.hostname}: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  };

  call.on("data", (message: StatsUpdate__Output) => {
    const stats = message.peer_stats;
    if (message.payload !== "peer_stats" || !stats) return; // `empty`: a keepalive
    batch.push({
      pubkey: stats.public_key,
      endpoint: stats.endpoint,
      upload: Number(stats.upload),
      download: Number(stats.download),
      latestHandshakeS: Number(stats.latest_handshake),
    });
    if (batch.length >= STATS_BATCH_MAX) flush();
    else timer ??= setTimeout(flush, STATS_FLUSH_MS);
  });
  let answered = false;
  const finish = () => {
    if (answered) return;
    answered = true;
    flush();
    void writing.then(() => callback(null, {}));
  };
  call.on("end", finish);
  call.on("error", () => {
    answered = true;
    flush();
  });
  call.on("cancelled", () => {
    answered = true;
    flush();
  });
}
