// Devices as the admin API lists, adds and deletes them (users add theirs through the enrollment flow).
import { invalidArgument } from "../../shared/errors.ts";
import { DEVICE_MESSAGES } from "../flows/enrollment/device-input.ts";
import { syncNetworkDevices } from "./network-device-sync.ts";
import { networkAllowsUser } from "./network-access.ts";
import { inTransaction, type Queryable, uniqueViolation } from "./queryable.ts";

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

/**
 * Adds a device for user `userId` with an address in every network the user may use (the lowest free
 * hosts, as enrollment gives them); returns its id. Throws INVALID_ARGUMENT for a key in use (a device's or
 * a network's), a name the user already has, or a network without room.
 */
export async function addDevice(q: Queryable, userId: number, name: string, pubkey: string): Promise<number> {
  try {
    return await inTransaction(q, async (tx) => {
      const [networkKey] = await tx`SELECT 1 FROM networks WHERE pubkey = ${pubkey}`;
      if (networkKey) throw invalidArgument(DEVICE_MESSAGES.pubkeyTaken);
      const [device] = await tx<{ id: number }[]>`INSERT INTO devices (user_id, name, pubkey) VALUES (${userId}, ${name}, ${pubkey}) RETURNING id`;
      const networks = await tx<{ id: number }[]>`SELECT n.id FROM networks n WHERE ${networkAllowsUser(tx, tx`n.id`, userId)} ORDER BY n.id`;
      for (const network of networks) await syncNetworkDevices(tx, network.id, userId);
      return device!.id;
    });
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === "devices_pubkey_key") throw invalidArgument(DEVICE_MESSAGES.pubkeyTaken);
    if (constraint === "devices_user_id_name_key") throw invalidArgument(DEVICE_MESSAGES.nameTaken);
    throw err;
  }
}
