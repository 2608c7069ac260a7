// The gateways table: which gateway hosts of a network are connected, since when, or when they left. A
// reconnect (to this Core or another) updates the same row; a stream that ends marks the row disconnected
// only if no newer connection of that host took it over meanwhile. The Core holding a connection stamps
// its row on a timer (alive_until); every reader goes through the gateway_states view (migration 0012),
// where a row whose stamp ran out reads as disconnected at its last stamp: a dead Core's gateways.
//
// The audit trail pairs up (migration 0014): a connection audited as connected (an Updates stream, the
// row's `streaming`) is audited as disconnected exactly once, by whoever ends its row: its stream's end,
// the sweep closing it as stale, or a newer connection replacing it while open. Each of those statements
// locks the row it ends and returns it as it stood, so that with several Cores one of them, and only one,
// learns it ended it.
import type { AuditEvent, AuditLog } from "../audit/audit-log.ts";
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

/**
 * What recordGatewayDisconnected found. "closed": the stream's end closed the row; "deleted": the row went
 * with its network. Either way nobody else ended the connection: the stream's end audits its disconnect.
 * "replaced" (a newer connection of the host took the row) and "already closed" (a sweep closed it as
 * stale): whoever did so audited it.
 */
export type DisconnectOutcome = "closed" | "deleted" | "replaced" | "already closed";

/** A gateway as its audit events name it. */
export interface AuditedGateway {
  hostname: string;
  version: string | null;
  address: string | null;
  /** The network's name. */
  location: string;
}

/** A connection whose open row a sweep or a newer connection ended, as stored. */
export interface EndedConnection extends AuditedGateway {
  /** Its connect was audited (an Updates stream): its disconnect is owed. */
  streaming: boolean;
}

/** A connection as recordGatewayConnected recorded it, with the open row of another one it replaced. */
export interface RecordedConnection extends GatewayConnection {
  replaced: EndedConnection | null;
}

/** The audit event of a gateway connecting or leaving, the same whoever notices it. */
export function gatewayAuditEvent(event: "gateway_connected" | "gateway_disconnected", gateway: AuditedGateway): AuditEvent {
  return { event, outcome: "success", ipAddress: gateway.address, details: { gateway: gateway.hostname, location: gateway.location, version: gateway.version } };
}

/**
 * Audits the disconnect of a connection a sweep or a newer connection ended if its connect was audited (it
 * was an Updates stream); tells whether it did.
 */
export function auditEndedConnection(audit: AuditLog | undefined, ended: EndedConnection): boolean {
  if (ended.streaming) audit?.record(gatewayAuditEvent("gateway_disconnected", ended));
  return ended.streaming;
}

/** What the upsert answers: the new connection (none when it must be tried again) and the row before it. */
type ConnectRow = EndedConnection & { id: number | null; connection_id: string | null; network_found: boolean; previous_open: boolean | null };

/** How often the upsert is tried: a row another Core inserted meanwhile is taken over on the second try. */
const CONNECT_ATTEMPTS = 3;

/**
 * Records `gateway` as connected now with a new connection id (with `name` when it sent one; a missing name
 * keeps the stored one), stamped at that instant and alive for `aliveS` seconds unless stamped again, and
 * stamps the network's connected_at. `streaming`: this is an Updates stream, whose connect the caller
 * audits. Returns the open row it replaced, as stored, whose disconnect the caller audits before the connect
 * (auditEndedConnection). Null when the network does not exist.
 */
export async function recordGatewayConnected(
  q: Queryable,
  gateway: GatewayIdentity,
  aliveS: number,
  options: { streaming: boolean; name?: string },
): Promise<RecordedConnection | null> {
  for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
    // `previous` locks the host's row and reads it as it stands (the newest version, once a concurrent
    // writer committed); the upsert replaces only that row. A row absent from this statement's snapshot
    // but inserted meanwhile by another Core is left untouched (no id comes back): the next try reads it.
    const [row] = await q<ConnectRow[]>`
      WITH network AS (UPDATE networks SET connected_at = now() WHERE id = ${gateway.networkId} RETURNING id, name),
      previous AS MATERIALIZED (
        SELECT connection_id, hostname, version, address, streaming, disconnected_at IS NULL AS open
        FROM gateways WHERE network_id = ${gateway.networkId} AND hostname = ${gateway.hostname} FOR UPDATE),
      upserted AS (
        INSERT INTO gateways (network_id, hostname, name, version, address, connected_at, disconnected_at, connection_id, seen_at, alive_until, streaming)
        SELECT id, ${gateway.hostname}, ${options.name ?? null}, ${gateway.version}, ${gateway.address}, at, NULL, gen_random_uuid(), at,
               at + make_interval(secs => ${aliveS}), ${options.streaming}
        FROM network, (SELECT clock_timestamp() AS at) connecting
        ON CONFLICT (network_id, hostname) DO UPDATE SET
          name = COALESCE(EXCLUDED.name, gateways.name), version = EXCLUDED.version, address = EXCLUDED.address,
          connected_at = EXCLUDED.connected_at, disconnected_at = NULL, connection_id = EXCLUDED.connection_id,
          seen_at = EXCLUDED.seen_at, alive_until = EXCLUDED.alive_until, streaming = EXCLUDED.streaming
        WHERE gateways.connection_id = (SELECT connection_id FROM previous)
        RETURNING id, connection_id)
      SELECT u.id, u.connection_id, n.id IS NOT NULL AS network_found, n.name AS location, p.hostname,
             p.version, p.address, p.streaming, p.open AS previous_open
      FROM (SELECT 1) one LEFT JOIN upserted u ON true LEFT JOIN previous p ON true LEFT JOIN network n ON true`;
    if (!row!.network_found) return null;
    if (row!.id === null || row!.connection_id === null) continue;
    const { hostname, version, address, location, streaming } = row!;
    const replaced = row!.previous_open ? { hostname, version, address, location, streaming } : null;
    return { id: row!.id, connectionId: row!.connection_id, replaced };
  }
  throw new Error(`Cannot record gateway ${gateway.hostname} connected: its row kept changing under ${CONNECT_ATTEMPTS} attempts`);
}

/**
 * Marks the connection ended unless a newer one of the same host replaced it or a sweep closed it. The row
 * is locked and read as it stands first, so a replacement, a sweep or a deletion committed meanwhile is seen.
 */
export async function recordGatewayDisconnected(q: Queryable, connection: GatewayConnection): Promise<DisconnectOutcome> {
  const [row] = await q<{ ours: boolean | null; open: boolean | null }[]>`
    WITH current AS MATERIALIZED (SELECT connection_id, disconnected_at FROM gateways WHERE id = ${connection.id} FOR UPDATE),
    closed AS (
      UPDATE gateways g SET disconnected_at = clock_timestamp() FROM current c
      WHERE g.id = ${connection.id} AND c.connection_id = ${connection.connectionId} AND c.disconnected_at IS NULL
      RETURNING g.id)
    SELECT c.connection_id = ${connection.connectionId} AS ours, c.disconnected_at IS NULL AS open
    FROM (SELECT 1) one LEFT JOIN current c ON true`;
  if (row!.ours === null) return "deleted";
  if (!row!.ours) return "replaced";
  return row!.open ? "closed" : "already closed";
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

/** A row closed by closeStaleGateways, as stored. */
export interface StaleGateway extends EndedConnection {
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
    RETURNING g.network_id, g.hostname, g.version, g.address, n.name AS location, g.streaming, g.disconnected_at`;
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
