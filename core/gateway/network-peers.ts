// What a gateway of a network must know, read from the database: the network itself (with its private key,
// which leaves the Core only here, to its authenticated gateways) and the peers allowed to connect.
import type { Queryable } from "../store/queryable.ts";

/** A device allowed to connect to the network now. */
export interface PeerRow {
  device_id: number;
  user_id: number;
  pubkey: string;
  /** Its addresses in the network, without prefix, IPv4 first. */
  allowed_ips: string[];
  /** Only on a network with MFA on, and then always set (only authorized devices are peers). */
  preshared_key: string | null;
}

export interface GatewayNetwork {
  id: number;
  name: string;
  privkey: string;
  port: number;
  /** The gateway's addresses in CIDR form. */
  address: string[];
  keepalive_interval: number;
  mfa_enabled: boolean;
}

/** Which of the network's peers to read: all, some devices, or one user's. */
export type PeerScope = { all: true } | { deviceIds: number[] } | { userId: number };

export async function loadGatewayNetwork(q: Queryable, networkId: number): Promise<GatewayNetwork | null> {
  const [row] = await q<GatewayNetwork[]>`
    SELECT id, name, privkey, port, address, keepalive_interval, mfa_mode <> 'disabled' AS mfa_enabled
    FROM networks WHERE id = ${networkId}`;
  return row ?? null;
}

function scopeCondition(q: Queryable, scope: PeerScope): ReturnType<Queryable> {
  if ("deviceIds" in scope) return q`d.id = ANY(${scope.deviceIds}::bigint[])`;
  if ("userId" in scope) return q`d.user_id = ${scope.userId}`;
  return q`true`;
}

/**
 * The peers of network `networkId` within `scope`, by device id: devices with an address there, owned by
 * an active user, and on a network with MFA on only those authorized (with their preshared key).
 */
export function loadPeers(q: Queryable, networkId: number, scope: PeerScope): Promise<PeerRow[]> {
  const inScope = scopeCondition(q, scope);
  return q<PeerRow[]>`
    WITH addresses AS (
      SELECT a.device_id, array_agg(host(a.address) ORDER BY family(a.address), a.address) AS allowed_ips
      FROM network_device_addresses a JOIN devices d ON d.id = a.device_id
      WHERE a.network_id = ${networkId} AND ${inScope}
      GROUP BY a.device_id)
    SELECT d.id AS device_id, d.user_id, d.pubkey, ad.allowed_ips,
           CASE WHEN n.mfa_mode <> 'disabled' THEN nd.preshared_key END AS preshared_key
    FROM network_devices nd
    JOIN networks n ON n.id = nd.network_id
    JOIN devices d ON d.id = nd.device_id
    JOIN users u ON u.id = d.user_id
    JOIN addresses ad ON ad.device_id = d.id
    WHERE nd.network_id = ${networkId} AND u.is_active AND ${inScope}
      AND (n.mfa_mode = 'disabled' OR (nd.is_authorized AND nd.preshared_key IS NOT NULL))
    ORDER BY d.id`;
}
