// WireGuard figures from the gateways: stored per device and network with the time they arrived (a short
// history in vpn_stats, the latest on network_devices), and the VPN session transitions they imply.
import type { Queryable } from "../store/queryable.ts";

/** One PeerStats as the gateway sent it; handshake in unix seconds, 0 for none. */
export interface PeerFigures {
  pubkey: string;
  endpoint: string;
  upload: number;
  download: number;
  latestHandshakeS: number;
}

/** A device whose VPN session started or ended, for the audit trail. */
export interface VpnSessionChange {
  username: string;
  device_name: string;
  network_name: string;
  endpoint: string | null;
}

/** The IP of a WireGuard endpoint (`198.18.0.2:51820`, `[fd00::2]:51820`), for the audit trail. */
export function endpointIp(endpoint: string | null): string | null {
  if (!endpoint) return null;
  return endpoint.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
}

/**
 * Stores `figures` reported by a gateway of `networkId`, in one statement; figures for keys that are no
 * device of that network are dropped. Returns the devices whose session started with these figures (a
 * handshake younger than the network's peer_disconnect_threshold, none counted before), each once across
 * Cores: the row's vpn_connected_at is set to this transaction's now() only by the statement that starts it.
 */
export async function storePeerFigures(q: Queryable, networkId: number, figures: PeerFigures[]): Promise<VpnSessionChange[]> {
  if (figures.length === 0) return [];
  return q<VpnSessionChange[]>`
    WITH input AS (
      SELECT DISTINCT ON (pubkey) * FROM unnest(${figures.map((f) => f.pubkey)}::text[], ${figures.map((f) => f.endpoint || null)}::text[],
                           ${figures.map((f) => f.upload)}::bigint[], ${figures.map((f) => f.download)}::bigint[],
                           ${figures.map((f) => f.latestHandshakeS)}::bigint[]) WITH ORDINALITY AS i(pubkey, endpoint, upload, download, handshake, n)
      ORDER BY pubkey, n DESC),
    matched AS (
      SELECT nd.network_id, nd.device_id, i.endpoint, i.upload, i.download,
             CASE WHEN i.handshake > 0 THEN to_timestamp(i.handshake) END AS handshake
      FROM input i JOIN devices d ON d.pubkey = i.pubkey
      JOIN network_devices nd ON nd.device_id = d.id AND nd.network_id = ${networkId}),
    history AS (
      INSERT INTO vpn_stats (network_id, device_id, endpoint, upload, download, latest_handshake)
      SELECT network_id, device_id, endpoint, upload, download, handshake FROM matched)
    UPDATE network_devices nd
    SET last_handshake = m.handshake, endpoint = m.endpoint, upload = m.upload, download = m.download, stats_at = now(),
        vpn_connected_at = CASE WHEN m.handshake > now() - make_interval(secs => n.peer_disconnect_threshold)
                                THEN COALESCE(nd.vpn_connected_at, now()) ELSE nd.vpn_connected_at END
    FROM matched m, networks n, devices d, users u
    WHERE nd.network_id = m.network_id AND nd.device_id = m.device_id AND n.id = nd.network_id
      AND d.id = nd.device_id AND u.id = d.user_id
    RETURNING u.username, d.name AS device_name, n.name AS network_name, nd.endpoint,
              nd.vpn_connected_at = now() AS started`.then((rows) =>
    (rows as unknown as (VpnSessionChange & { started: boolean })[])
      .filter((row) => row.started)
      .map(({ started: _, ...change }) => change),
  );
}

/**
 * Ends the VPN sessions whose last handshake is now older than their network's threshold (or gone),
 * each once across Cores; returns them for the audit trail.
 */
export function endIdleVpnSessions(q: Queryable): Promise<VpnSessionChange[]> {
  return q<VpnSessionChange[]>`
    UPDATE network_devices nd SET vpn_connected_at = NULL
    FROM networks n, devices d, users u
    WHERE n.id = nd.network_id AND d.id = nd.device_id AND u.id = d.user_id AND nd.vpn_connected_at IS NOT NULL
      AND (nd.last_handshake IS NULL OR nd.last_handshake <= now() - make_interval(secs => n.peer_disconnect_threshold))
    RETURNING u.username, d.name AS device_name, n.name AS network_name, nd.endpoint`;
}

/** Deletes history older than `retentionS` seconds; the latest figures stay on network_devices. */
export async function purgeVpnStats(q: Queryable, retentionS: number): Promise<number> {
  const result = await q`DELETE FROM vpn_stats WHERE collected_at < now() - make_interval(secs => ${retentionS})`;
  return result.count;
}
