// What the gateways reported, as the overview and a user's page show it: per location the devices
// connected now (a handshake younger than the location's disconnect threshold) and the bytes of the last
// hour (from vpn_stats: per device the growth of its counters in the hour, summed); per device of a user
// the state in each of its locations.
import type { Queryable } from "../store/queryable.ts";

export interface LocationTraffic {
  connected: number;
  /** Bytes in the last hour, to and from the devices. */
  upload: number;
  download: number;
}

/** By network id; a location without figures is absent. */
export async function locationTraffic(q: Queryable): Promise<Map<number, LocationTraffic>> {
  const rows = await q<({ network_id: number } & LocationTraffic)[]>`
    WITH hour AS (
      SELECT network_id, sum(up)::float8 AS upload, sum(down)::float8 AS download FROM (
        SELECT network_id, device_id, greatest(max(upload) - min(upload), 0) AS up, greatest(max(download) - min(download), 0) AS down
        FROM vpn_stats WHERE collected_at > now() - interval '1 hour' GROUP BY network_id, device_id) per_device
      GROUP BY network_id),
    live AS (
      SELECT nd.network_id, count(*)::int AS connected FROM network_devices nd JOIN networks n ON n.id = nd.network_id
      WHERE nd.last_handshake > now() - make_interval(secs => n.peer_disconnect_threshold) GROUP BY nd.network_id)
    SELECT n.id AS network_id, COALESCE(l.connected, 0) AS connected, COALESCE(h.upload, 0) AS upload, COALESCE(h.download, 0) AS download
    FROM networks n LEFT JOIN live l ON l.network_id = n.id LEFT JOIN hour h ON h.network_id = n.id`;
  return new Map(rows.map(({ network_id, ...traffic }) => [network_id, traffic]));
}

export interface DeviceConnection {
  device_id: number;
  network_name: string;
  connected: boolean;
  last_handshake: Date | null;
  endpoint: string | null;
  upload: number;
  download: number;
}

/** Each device of user `userId` in each of its locations, by device then network. */
export function userDeviceConnections(q: Queryable, userId: number): Promise<DeviceConnection[]> {
  return q<DeviceConnection[]>`
    SELECT nd.device_id, n.name AS network_name,
           COALESCE(nd.last_handshake > now() - make_interval(secs => n.peer_disconnect_threshold), false) AS connected,
           nd.last_handshake, nd.endpoint, COALESCE(nd.upload, 0)::float8 AS upload, COALESCE(nd.download, 0)::float8 AS download
    FROM network_devices nd JOIN devices d ON d.id = nd.device_id JOIN networks n ON n.id = nd.network_id
    WHERE d.user_id = ${userId} ORDER BY nd.device_id, n.id`;
}

/** Bytes as a person reads them: 0 B, 12.3 kB, 4.5 MB, 1.2 GB (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
