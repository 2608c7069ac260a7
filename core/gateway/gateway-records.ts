// The gateways table: which gateway hosts of a network are connected, since when, or when they left. A
// reconnect (to this Core or another) updates the same row; a stream that ends marks the row disconnected
// only if no newer connection of that host took it over meanwhile. The Core holding a connection stamps
// its row on a timer (alive_until); every reader goes through the gateway_states view (migration 0012),
// where a row whose stamp ran out reads as disconnected at its last stamp: a dead Core's gateways.
import type { AuditEvent } from "../audit/audit-log.ts";
import type { Queryable } from "../store/queryable.ts";
import type { GatewayIdentity } from "./gateway-auth.ts";

export interface GatewayRecord {
  id: number;
  network_id: number;
  hostname: string;
  name: string | null;
  version: string | null;
  address: string | null;
  connected: boolean;
  connected_at: Date;
  disconnected_at: Date | null;
}

/** A connection as recorded: the row and the connection's id, which the disconnect must still find. */
export interface GatewayConnection {
  id: number;
  connectionId: string;
}

/** What recordGatewayDisconnected found: a newer connection may have taken the row, or a sweep closed it. */
export type DisconnectOutcome = "closed" | "replaced" | "already closed";

/** A gateway as its audit events name it. */
export interface AuditedGateway {
  hostname: string;
  version: string | null;
  address: string | null;
  /** The network's name. */
  location: string;
}

/** The audit event of a gateway connecting or leaving, the same whoever notices it. */
export function gatewayAuditEvent(event: "gateway_connected" | "gateway_disconnected", gateway: AuditedGateway): AuditEvent {
  return { event, outcome: "success", ipAddress: gateway.address, details: { gateway: gateway.hostname, location: gateway.location, version: gateway.version } };
}

/**
 * Records `gateway` as connected now (with `name` when it sent one; a missing name keeps the stored one),
 * stamped at that instant and alive for `aliveS` seconds unless stamped again, and stamps the network's connected_at. Null when the
 * network does not exist.
 */
export async function recordGatewayConnected(q: Queryable, gateway: GatewayIdentity, aliveS: number, name?: string): Promise<GatewayConnection | null> {
  const [row] = await q<{ id: number; connection_id: string }[]>`
    WITH network AS (UPDATE networks SET connected_at = now() WHERE id = ${gateway.networkId} RETURNING id)
    INSERT INTO gateways (network_id, hostname, name, version, address, connected_at, disconnected_at, connection_id, seen_at, alive_until)
    SELECT id, ${gateway.hostname}, ${name ?? null}, ${gateway.version}, ${gateway.address}, at, NULL, gen_random_uuid(), at, at + make_interval(secs => ${aliveS})
    FROM network, (SELECT clock_timestamp() AS at) connecting
    ON CONFLICT (network_id, hostname) DO UPDATE SET
      name = COALESCE(EXCLUDED.name, gateways.name), version = EXCLUDED.version, address = EXCLUDED.address,
      connected_at = EXCLUDED.connected_at, disconnected_at = NULL, connection_id = EXCLUDED.connection_id,
      seen_at = EXCLUDED.seen_at, alive_until = EXCLUDED.alive_until
    RETURNING id, connection_id`;
  return row ? { id: row.id, connectionId: row.connection_id } : null;
}

/**
 * Marks the connection ended unless a newer one of the same host replaced it ("replaced") or a sweep
 * already closed it as stale ("already closed": its disconnect is audited already).
 */
export async function recordGatewayDisconnected(q: Queryable, connection: GatewayConnection): Promise<DisconnectOutcome> {
  const [row] = await q<{ closed: boolean; ours: boolean }[]>`
    WITH closed AS (
      UPDATE gateways SET disconnected_at = clock_timestamp()
      WHERE id = ${connection.id} AND connection_id = ${connection.connectionId} AND disconnected_at IS NULL
      RETURNING id)
    SELECT EXISTS (SELECT 1 FROM closed) AS closed,
           EXISTS (SELECT 1 FROM gateways WHERE id = ${connection.id} AND connection_id = ${connection.connectionId}) AS ours`;
  return row!.closed ? "closed" : row!.ours ? "already closed" : "replaced";
}

/**
 * Stamps the open rows of `connectionIds` alive for `aliveS` more seconds, in one statement. Returns the
 * connections among them whose row a sweep closed meanwhile (their Core had not stamped them in time).
 */
export async function stampGatewaysAlive(q: Queryable, connectionIds: string[], aliveS: number): Promise<string[]> {
  if (connectionIds.length === 0) return [];
  const rows = await q<{ connection_id: string }[]>`
    WITH stamped AS (
      UPDATE gateways SET seen_at = clock_timestamp(), alive_until = clock_timestamp() + make_interval(secs => ${aliveS})
      WHERE connection_id = ANY(${connectionIds}::uuid[]) AND disconnected_at IS NULL
      RETURNING id)
    SELECT connection_id FROM gateways WHERE connection_id = ANY(${connectionIds}::uuid[]) AND disconnected_at IS NOT NULL`;
  return rows.map((row) => row.connection_id);
}

/** A row closed by closeStaleGateways, with what its audit event names. */
export interface StaleGateway extends AuditedGateway {
  network_id: number;
  disconnected_at: Date;
}

/**
 * Closes the open rows whose stamp ran out (all open rows when `everyOpen`: the embedded database's only
 * Core starting), each disconnected at its last stamp. Several Cores may run it at once: a row is
 * returned to exactly one of them.
 */
export function closeStaleGateways(q: Queryable, everyOpen = false): Promise<StaleGateway[]> {
  return q<StaleGateway[]>`
    UPDATE gateways g SET disconnected_at = g.seen_at
    FROM networks n
    WHERE n.id = g.network_id AND g.disconnected_at IS NULL AND (${everyOpen}::boolean OR g.alive_until <= now())
    RETURNING g.network_id, g.hostname, g.version, g.address, n.name AS location, g.disconnected_at`;
}

/** The gateways of a network, connected ones first, then by host name. */
export function listGateways(q: Queryable, networkId: number): Promise<GatewayRecord[]> {
  return q<GatewayRecord[]>`
    SELECT id, network_id, hostname, name, version, address, connected, connected_at, disconnected_at
    FROM gateway_states WHERE network_id = ${networkId}
    ORDER BY NOT connected, hostname`;
}

/** Gateways connected to any Core now. */
export async function countConnectedGateways(q: Queryable): Promise<number> {
  const [row] = await q<{ n: number }[]>`SELECT count(*)::int AS n FROM gateway_states WHERE connected`;
  return row!.n;
}
