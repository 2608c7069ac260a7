// The Core's periodic VPN work, once a minute as Defguard does it: MFA authorizations of idle devices
// expire (their gateways drop them), VPN sessions whose handshake grew old end (audited), gateways whose
// Core stopped stamping them alive are closed (audited), and the stats history older than its retention
// goes. Every Core runs it; the statements make each change happen once.
import type postgres from "postgres";
import type { AuditLog } from "../audit/audit-log.ts";
import type { Logger } from "../../shared/logger.ts";
import type { Queryable } from "../store/queryable.ts";
import { auditEndedConnection, closeStaleGateways } from "./gateway-records.ts";
import type { PeerEventPublisher } from "./peer-events.ts";
import { endIdleVpnSessions, endpointIp, purgeVpnStats } from "./stats-store.ts";

/** Defguard checks MFA expiry and disconnected clients every 60 s. */
export const VPN_MAINTENANCE_INTERVAL_MS = 60_000;
/** Stats history kept: an hour of figures per device; the latest always stays on network_devices. */
export const VPN_STATS_RETENTION_S = 3_600;

export interface VpnMaintenanceDeps {
  sql: postgres.Sql;
  events: PeerEventPublisher;
  audit?: AuditLog;
  log: Logger;
  /** Default VPN_MAINTENANCE_INTERVAL_MS; tests shorten it. */
  intervalMs?: number;
  /** Default VPN_STATS_RETENTION_S. */
  statsRetentionS?: number;
}

export interface VpnMaintenance {
  /** One round now (the timer calls it; tests may too). */
  runOnce(): Promise<void>;
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

/**
 * De-authorizes, on networks with MFA on, each authorized device whose authorization and last handshake
 * (if any) are both older than the network's peer_disconnect_threshold: its preshared key is cleared.
 * Returns the device ids.
 */
export async function expireMfaAuthorizations(sql: postgres.Sql): Promise<number[]> {
  const rows = await sql<{ device_id: number }[]>`
    UPDATE network_devices nd SET is_authorized = false, preshared_key = NULL
    FROM networks n
    WHERE n.id = nd.network_id AND n.mfa_mode <> 'disabled' AND nd.is_authorized
      AND (nd.authorized_at IS NULL OR nd.authorized_at <= now() - make_interval(secs => n.peer_disconnect_threshold))
      AND (nd.last_handshake IS NULL OR nd.last_handshake <= now() - make_interval(secs => n.peer_disconnect_threshold))
    RETURNING nd.device_id`;
  return rows.map((row) => row.device_id);
}

/**
 * Closes the gateways whose Core stopped stamping them (every open one when `everyOpen`); returns how many.
 * Each one whose connect was audited (an Updates stream) is audited as a disconnect once, by whichever Core
 * closes it; a row of Config alone is closed without an audit event.
 */
export async function sweepStaleGateways(deps: { sql: Queryable; audit?: AuditLog; log: Logger }, everyOpen = false): Promise<number> {
  const closed = await closeStaleGateways(deps.sql, everyOpen);
  for (const gateway of closed) {
    const why = gateway.streaming ? "the core it was connected to stopped stamping it alive" : "it asked for its configuration but opened no updates stream";
    deps.log.info(`Gateway ${gateway.hostname} of network ${gateway.location} counts as disconnected since ${gateway.disconnected_at.toISOString()}: ${why}`);
    auditEndedConnection(deps.audit, gateway);
  }
  return closed.length;
}

/** Starts the timer; its first round runs after one interval. */
export function startVpnMaintenance(deps: VpnMaintenanceDeps): VpnMaintenance {
  const { sql, log } = deps;
  const retentionS = deps.statsRetentionS ?? VPN_STATS_RETENTION_S;
  let running: Promise<void> | undefined;

  async function round(): Promise<void> {
    const expired = await expireMfaAuthorizations(sql);
    if (expired.length > 0) {
      log.info(`MFA authorization expired for ${expired.length} idle device(s); their gateways drop them`, { devices: expired.join(",") });
      await deps.events.publish({ type: "devices", deviceIds: expired });
    }
    for (const ended of await endIdleVpnSessions(sql)) {
      deps.audit?.record({
        event: "vpn_client_disconnected",
        outcome: "success",
        username: ended.username,
        ipAddress: endpointIp(ended.endpoint),
        details: { device: ended.device_name, location: ended.network_name },
      });
    }
    await sweepStaleGateways(deps);
    const purged = await purgeVpnStats(sql, retentionS);
    if (purged > 0) log.debug(`Purged ${purged} stats rows older than ${retentionS} s`);
  }

  const runOnce = () =>
    (running ??= round()
      .catch((err: unknown) => log.error(`VPN maintenance failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running = undefined;
      }));
  const timer = setInterval(() => void runOnce(), deps.intervalMs ?? VPN_MAINTENANCE_INTERVAL_MS);
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
