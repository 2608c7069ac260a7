// The gateways table: which gateway hosts of a network are connected, since when, or when they left. A
// reconnect (to this Core or another) updates the same row; a stream that ends marks the row disconnected
// only if no newer connection of that host took it over meanwhile.
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
 * Records `gateway` as connected now (with `name` when it sent one; a missing name keeps the stored one)
 * and stamps the network's connected_at. Null when the network does not exist.
 */
export async function recordGatewayConnected(q: Queryable, gateway: GatewayIdentity, name?: string): Promise<GatewayConnection | null> {
  const [row] = await q<{ id: number; connection_id: string }[]>`
    WITH network AS (UPDATE networks SET connected_at = now() WHERE id = ${gateway.networkId} RETURNING id)
    INSERT INTO gateways (network_id, hostname, name, version, address, connected_at, disconnected_at, connection_id)
    SELECT id, ${gateway.hostname}, ${name ?? null}, ${gateway.version}, ${gateway.address}, clock_timestamp(), NULL, gen_random_uuid()
    FROM network
    ON CONFLICT (network_id, hostname) DO UPDATE SET
      name = COALESCE(EXCLUDED.name, gateways.name), version = EXCLUDED.version, address = EXCLUDED.address,
      connected_at = EXCLUDED.connected_at, disconnected_at = NULL, connection_id = EXCLUDED.connection_id
    RETURNING id, connection_id`;
  return row ? { id: row.id, connectionId: row.connection_id } : null;
}

/** Marks the connection ended, unless a newer one of the same host replaced it; true when it did. */
export async function recordGatewayDisconnected(q: Queryable, connection: GatewayConnection): Promise<boolean> {
  const rows = await q`
    UPDATE gateways SET disconnected_at = clock_timestamp()
    WHERE id = ${connection.id} AND connection_id = ${connection.connectionId} AND disconnected_at IS NULL
    RETURNING id`;
  return rows.length === 1;
}

/** The gateways of a network, connected ones first, then by host name. */
export function listGateways(q: Queryable, networkId: number): Promise<GatewayRecord[]> {
  return q<GatewayRecord[]>`
    SELECT id, network_id, hostname, name, version, address, disconnected_at IS NULL AS connected, connected_at, disconnected_at
    FROM gateways WHERE network_id = ${networkId}
    ORDER BY disconnected_at IS NOT NULL, hostname`;
}
