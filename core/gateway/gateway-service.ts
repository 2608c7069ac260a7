// gateway.GatewayService as the Core serves it: Config, Updates and Stats, each behind the token and
// version checks, plus the registry of connected gateways that health and metrics count and the heartbeat
// stamps alive.
import * as grpc from "@grpc/grpc-js";
import type postgres from "postgres";
import type { AuditLog } from "../audit/audit-log.ts";
import { AppError, GrpcStatus, internal } from "../../shared/errors.ts";
import type { ConfigurationRequest__Output, GatewayServiceHandlers } from "../../shared/gateway-proto.ts";
import type { Logger } from "../../shared/logger.ts";
import { coreVersionMetadata } from "../proxy-version.ts";
import { authenticateGateway, type GatewayIdentity } from "./gateway-auth.ts";
import { aliveSeconds, startGatewayHeartbeat } from "./gateway-heartbeat.ts";
import { type EndedConnection, auditEndedConnection, gatewayAuditEvent, recordGatewayConnected, recordGatewayDisconnected } from "./gateway-records.ts";
import type { GatewayTokens } from "./gateway-tokens.ts";
import { type PeerRow, loadGatewayNetwork, loadPeers } from "./network-peers.ts";
import { configurationMessage } from "./peer-diff.ts";
import type { PeerEventBus } from "./peer-events.ts";
import { serveStatsStream } from "./stats-stream.ts";
import { type UpdatesStream, startUpdatesStream } from "./updates-stream.ts";

/** What Config answered a gateway is the baseline of its Updates stream if that starts this soon. */
const CONFIG_BASELINE_TTL_MS = 60_000;

export interface GatewayServiceDeps {
  sql: postgres.Sql;
  bus: PeerEventBus;
  tokens: GatewayTokens;
  audit?: AuditLog;
  /** Target `defguard::gateway`. */
  log: Logger;
  /** How often the rows of this Core's gateways are stamped alive (DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL). */
  heartbeatS: number;
}

export interface GatewayCounts {
  /** Gateways whose Updates stream is open on this Core. */
  connected: number;
  /** Peers those gateways have, as this Core told them. */
  peers: number;
}

export interface GatewayService {
  handlers: GatewayServiceHandlers;
  counts(): GatewayCounts;
  /** Stops the heartbeat, ends every Updates stream and resolves when each disconnect is recorded (shutdown). */
  closeStreams(): Promise<void>;
}

/** A gRPC status object for `err`: an AppError's own, INTERNAL (cause logged) for anything else. */
function statusOf(err: unknown, log: Logger): grpc.ServiceError {
  const known = err instanceof AppError ? err : internal("Internal error", err);
  if (!(err instanceof AppError)) log.error(`Gateway call failed: ${err instanceof Error ? err.message : String(err)}`);
  return Object.assign(new Error(known.message), { code: known.code, details: known.message, metadata: new grpc.Metadata() });
}

const networkMissing = (id: number) => new AppError(GrpcStatus.NOT_FOUND, `Network with id ${id} not found`);

export function createGatewayService(deps: GatewayServiceDeps): GatewayService {
  const { sql, log } = deps;
  const aliveS = aliveSeconds(deps.heartbeatS);
  /** The open Updates streams by the connection id of their row. */
  const streams = new Map<string, UpdatesStream>();
  const closing = new Set<Promise<void>>();
  /** Config answers by `network/hostname`, kept briefly as the baseline of the Updates stream that follows. */
  const baselines = new Map<string, { peers: Map<number, PeerRow>; at: number }>();
  const keyOf = (g: GatewayIdentity) => `${g.networkId}/${g.hostname}`;

  /** The open row of an earlier connection of `gateway` was replaced: it ends now, audited before the new connect. */
  function replacedBy(gateway: GatewayIdentity, replaced: EndedConnection | null) {
    // A row of Config alone (the usual one, right before the Updates stream) had no connect audited: nothing to say.
    if (!replaced || !auditEndedConnection(deps.audit, replaced)) return;
    log.info(`Gateway ${gateway.hostname} connected again (${gateway.address}) while its previous connection (${replaced.address}) was still recorded as connected: that one counts as disconnected now`);
  }

  async function config(call: grpc.ServerUnaryCall<ConfigurationRequest__Output, unknown>) {
    const gateway = await authenticateGateway(call, deps.tokens, log);
    const network = await loadGatewayNetwork(sql, gateway.networkId);
    if (!network) throw networkMissing(gateway.networkId);
    const name = call.request.name || undefined;
    // Not audited as a connect: only the Updates stream that follows is.
    const connection = await recordGatewayConnected(sql, gateway, aliveS, { streaming: false, name });
    replacedBy(gateway, connection?.replaced ?? null);
    const peers = await loadPeers(sql, network.id, { all: true });
    const now = Date.now();
    for (const [key, entry] of baselines) if (now - entry.at > CONFIG_BASELINE_TTL_MS) baselines.delete(key);
    baselines.set(keyOf(gateway), { peers: new Map(peers.map((row) => [row.device_id, row])), at: now });
    log.info(`Configuration sent to gateway ${gateway.hostname}${name ? ` (${name})` : ""}, network ${network.name}: ${peers.length} peer(s)`);
    return configurationMessage(network, peers);
  }

  async function updates(call: grpc.ServerWritableStream<unknown, never>) {
    const gateway = await authenticateGateway(call, deps.tokens, log);
    const network = await loadGatewayNetwork(sql, gateway.networkId);
    if (!network) throw networkMissing(gateway.networkId);
    const connection = await recordGatewayConnected(sql, gateway, aliveS, { streaming: true });
    if (!connection) throw networkMissing(gateway.networkId);
    replacedBy(gateway, connection.replaced);
    const remembered = baselines.get(keyOf(gateway));
    baselines.delete(keyOf(gateway));
    const baseline = remembered && Date.now() - remembered.at <= CONFIG_BASELINE_TTL_MS ? remembered.peers : undefined;
    call.sendMetadata(coreVersionMetadata());
    const stream = startUpdatesStream(call, gateway, network, baseline, { sql, bus: deps.bus, log });
    streams.set(connection.connectionId, stream);
    log.info(`Gateway ${gateway.hostname} (version ${gateway.version}, ${gateway.address}) connected to the updates stream of network ${network.name}`);
    const audit = (event: "gateway_connected" | "gateway_disconnected") =>
      deps.audit?.record(gatewayAuditEvent(event, { ...gateway, location: network.name }));
    audit("gateway_connected");
    const closed = stream.ended.then(async () => {
      streams.delete(connection.connectionId);
      log.info(`Gateway ${gateway.hostname} disconnected from network ${network.name}`);
      const outcome = await recordGatewayDisconnected(sql, connection).catch((err: unknown) => {
        log.error(`Cannot record gateway ${gateway.hostname} disconnected: ${err instanceof Error ? err.message : String(err)}`);
        return "closed" as const;
      });
      // A newer connection that replaced the row, or a sweep that closed it as stale, audited this disconnect.
      if (outcome === "closed" || outcome === "deleted") audit("gateway_disconnected");
    });
    closing.add(closed);
    void closed.finally(() => closing.delete(closed));
  }

  const handlers: GatewayServiceHandlers = {
    Config(call, callback) {
      // A Defguard gateway reads the Core's version from these headers and exits when they are missing.
      call.sendMetadata(coreVersionMetadata());
      config(call).then(
        (answer) => callback(null, answer),
        (err: unknown) => callback(statusOf(err, log)),
      );
    },
    Updates(call) {
      updates(call as grpc.ServerWritableStream<unknown, never>).catch((err: unknown) => call.emit("error", statusOf(err, log)));
    },
    Stats(call, callback) {
      authenticateGateway(call, deps.tokens, log).then(
        (gateway) => {
          call.sendMetadata(coreVersionMetadata());
          serveStatsStream(call, callback, gateway, { sql, audit: deps.audit, log });
        },
        (err: unknown) => {
          // What the gateway already sent is read and dropped, so the refusal is not held up by flow control.
          call.resume();
          callback(statusOf(err, log));
        },
      );
    },
  };

  const heartbeat = startGatewayHeartbeat({
    sql,
    heartbeatS: deps.heartbeatS,
    connectionIds: () => [...streams.keys()],
    onClosedElsewhere(connectionIds) {
      for (const id of connectionIds) {
        const stream = streams.get(id);
        if (!stream) continue;
        log.warn(`Gateway ${stream.gateway.hostname} was marked disconnected by another core (this core had not stamped it alive in time); ending its stream so that it reconnects`);
        stream.close();
      }
    },
    log,
  });

  return {
    handlers,
    counts: () => ({ connected: streams.size, peers: [...streams.values()].reduce((sum, s) => sum + s.peerCount(), 0) }),
    closeStreams: async () => {
      await heartbeat.stop();
      for (const stream of streams.values()) stream.close();
      await Promise.all([...closing]);
    },
  };
}
