// Devices across all users, a page at a time, for the admin UI's device list: newest first, optionally
// only those of users whose username starts with a given text.
import type { DeviceNetworkInfo } from "./devices.ts";
import type { Queryable } from "./queryable.ts";

export const DEVICES_PER_PAGE = 50;

export interface DeviceListRow {
  id: number;
  name: string;
  pubkey: string;
  username: string;
  created_at: Date;
  networks: Pick<DeviceNetworkInfo, "network_id" | "network_name" | "addresses">[];
}

export interface DevicePage {
  rows: DeviceListRow[];
  total: number;
  page: number;
  pages: number;
}

/** `page` counts from 1 and is clamped to the pages there are. */
export async function searchDevices(q: Queryable, options: { username?: string; page?: number }): Promise<DevicePage> {
  const prefix = options.username ? `${options.username.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const [counted] = await q<{ total: number }[]>`
    SELECT count(*)::int AS total FROM devices d JOIN users u ON u.id = d.user_id
    WHERE ${prefix}::text IS NULL OR u.username LIKE ${prefix}`;
  const total = counted?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / DEVICES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.trunc(options.page ?? 1)), pages);
  // The page's ids first: OFFSET rows skipped by the outer query would still have their networks built.
  const rows = await q<DeviceListRow[]>`
    WITH page AS (
      SELECT d.id FROM devices d JOIN users u ON u.id = d.user_id
      WHERE ${prefix}::text IS NULL OR u.username LIKE ${prefix}
      ORDER BY d.id DESC LIMIT ${DEVICES_PER_PAGE} OFFSET ${(page - 1) * DEVICES_PER_PAGE}
    )
    SELECT d.id, d.name, d.pubkey, u.username, d.created_at,
           COALESCE((SELECT json_agg(json_build_object(
                       'network_id', nd.network_id, 'network_name', n.name,
                       'addresses', ARRAY(SELECT host(a.address) FROM network_device_addresses a
                                          WHERE a.network_id = nd.network_id AND a.device_id = d.id ORDER BY a.address))
                     ORDER BY nd.network_id)
                     FROM network_devices nd JOIN networks n ON n.id = nd.network_id WHERE nd.device_id = d.id), '[]'::json) AS networks
    FROM page JOIN devices d ON d.id = page.id JOIN users u ON u.id = d.user_id
    ORDER BY d.id DESC`;
  return { rows, total, page, pages };
}
