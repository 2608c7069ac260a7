// Everything the Core does for gateways, started and stopped as one piece by start-core.ts: the peer
// event bus (always: other Cores' gateways need this Core's events), and when DEFGUARD_GATEWAY_SECRET is
// set the gateway gRPC server, the heartbeat on its gateways' rows and the periodic VPN work.
import type { AuditLog } from "../audit/audit-log.ts";
import type { GatewayServerConfig } from "../config.ts";
import type { Database } from "../db/connection.ts";
import type { Logger } from "../../shared/logger.ts";
import { type GatewayCounts, createGatewayService } from "./gateway-service.ts";
import { type GatewayServerHandle, startGatewayServer } from "./gateway-server.ts";
import { type GatewayTokens, createGatewayTokens } from "./gateway-tokens.ts";
import { type PeerEventPublisher, createPeerEventBus } from "./peer-events.ts";
import { type VpnMaintenance, startVpnMaintenance, sweepStaleGateways } from "./vpn-maintenance.ts";

export interface GatewaysOptions {
  config: GatewayServerConfig;
  db: Database;
  audit?: AuditLog;
  /** Target `defguard::gateway`. */
  log: Logger;
  /** VPN maintenance interval (default once a minute); tests shorten it. */
  maintenanceIntervalMs?: number;
}

export interface Gateways {
  /** What flows and the admin API publish peer events to. */
  events: PeerEventPublisher;
  /** Signs gateway tokens; undefined without DEFGUARD_GATEWAY_SECRET. */
  tokens?: GatewayTokens;
  /** The gateway server when it runs. */
  server?: GatewayServerHandle;
  /** Connected gateways and their peers on this Core; undefined when the server does not run. */
  counts?: () => GatewayCounts;
  /** The periodic VPN work when the server runs (tests run a round now). */
  maintenance?: VpnMaintenance;
  /** Ends the gateways' streams, stops the server, the timer and the bus; before the database closes. */
  stop(): Promise<void>;
}

export const GATEWAY_SECRET_MISSING =
  "DEFGUARD_GATEWAY_SECRET is not set: gateways are refused and no gateway server listens. Set it to 32 or more random characters (e.g. `openssl rand -base64 48`), the same on every core, to serve gateways on DEFGUARD_GRPC_PORT";

/** Throws TlsConfigError or GatewayBindError (after closing what it opened). */
export async function startGateways(options: GatewaysOptions): Promise<Gateways> {
  const { config, db, log } = options;
  const bus = createPeerEventBus({ sql: db.sql, kind: db.kind, log });
  await bus.start();
  if (!config.secret) {
    log.warn(GATEWAY_SECRET_MISSING);
    return { events: bus, stop: () => bus.stop() };
  }
  const tokens = createGatewayTokens(config.secret);
  // Before any gateway connects: the embedded database has one Core, so every open row is a dead
  // predecessor's; on PostgreSQL only rows whose stamp ran out are. Failing, the maintenance rounds retry.
  await sweepStaleGateways({ sql: db.sql, audit: options.audit, log }, db.kind === "embedded").catch((err: unknown) =>
    log.error(`Cannot close the gateways of a core that stopped: ${err instanceof Error ? err.message : String(err)}`),
  );
  const service = createGatewayService({ sql: db.sql, bus, tokens, audit: options.audit, log, heartbeatS: config.heartbeatS });
  let server: GatewayServerHandle;
  try {
    server = await startGatewayServer(config, service.handlers, log);
  } catch (err) {
    await service.closeStreams();
    await bus.stop();
    throw err;
  }
  const maintenance: VpnMaintenance = startVpnMaintenance({ sql: db.sql, events: bus, audit: options.audit, log, intervalMs: options.maintenanceIntervalMs });
  return {
    events: bus,
    tokens,
    server,
    counts: service.counts,
    maintenance,
    async stop() {
      await maintenance.stop();
      await service.closeStreams();
      await server.stop();
      await bus.stop();
    },
  };
}
