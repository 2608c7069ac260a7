// Devices as the admin API lists and deletes them; creating them belongs to the enrollment flow.
import type { Queryable } from "./queryable.ts";

export interface DeviceNetworkInfo {
  network_id: number;
  network_name: string;
  /** The device's addresses in that network, without prefix. */
  addresses: string[];
  is_authorized: boolean;
  /** ISO 8601, or null while the device was never authorized by MFA. */
  authorized_at: string | null;
}

export interface DeviceInfo {
  id: number;
  name: string;
  pubkey: string;
  user_id: number;
  created_at: Date;
  networks: DeviceNetworkInfo[];
}

/** Every device of the user, oldest first (empty for an unknown user: check the user first). */
export function listUserDevices(q: Queryable, username: string): Promise<DeviceInfo[]> {
  return q<DeviceInfo[]>`
    SELECT d.id, d.name, d.pubkey, d.user_id, d.created_at,
           COALESCE((
             SELECT json_agg(json_build_object(
                      'network_id', nd.network_id,
                      'network_name', n.name,
                      'addresses', ARRAY(SELECT host(a.address) FROM network_device_addresses a
                                         WHERE a.network_id = nd.network_id AND a.device_id = d.id ORDER BY a.address),
                      'is_authorized', nd.is_authorized,
                      'authorized_at', nd.authorized_at) ORDER BY nd.network_id)
             FROM network_devices nd JOIN networks n ON n.id = nd.network_id
             WHERE nd.device_id = d.id), '[]'::json) AS networks
    FROM devices d JOIN users u ON u.id = d.user_id
    WHERE u.username = ${username} ORDER BY d.id`;
}

/** True when the device existed; its addresses and polling token go with it. */
export async function deleteDevice(q: Queryable, id: number): Promise<boolean> {
  const rows = await q`DELETE FROM devices WHERE id = ${id} RETURNING id`;
  return rows.length > 0;
}
