// The devices of one network, for an admin to see which ones desktop-client MFA has authorized there (and
// when) and which are connected through its gateways, with their last handshake, endpoint and transfer. The
// network's MFA mode itself is set with PUT /network/{id} (`mfa_mode`).
import { Hono } from "hono";
import { notFound } from "../../../shared/errors.ts";
import type { Queryable } from "../../store/queryable.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export interface NetworkDeviceInfo {
  device_id: number;
  device_name: string;
  pubkey: string;
  user_id: number;
  username: string;
  /** The device's addresses in this network, without prefix. */
  addresses: string[];
  /** Desktop-client MFA succeeded for this device in this network (it got a preshared key). */
  is_authorized: boolean;
  /** When it last succeeded; null while never. */
  authorized_at: Date | null;
  /** Its last handshake is younger than the network's peer_disconnect_threshold. */
  connected: boolean;
  /** As the gateways last reported: null before any figures arrived. */
  last_handshake: Date | null;
  endpoint: string | null;
  /** Bytes the gateway counted to and from the device (WireGuard's rx/tx as its stats report them). */
  upload: number;
  download: number;
}

export interface NetworkDevicesPage {
  limit: number;
  offset: number;
}

/** The ids of one page of the network's devices; chosen apart so that skipped rows cost no addresses. */
function pageIds(q: Queryable, networkId: number, page: NetworkDevicesPage) {
  return q`
    SELECT device_id FROM network_devices WHERE network_id = ${networkId}
    ORDER BY last_handshake DESC NULLS LAST, device_id LIMIT ${page.limit} OFFSET ${page.offset}`;
}

/**
 * Every device in the network by device id (or, given `page`, that slice of them, the latest handshake
 * first); the preshared key is never part of the answer.
 */
export function listNetworkDevices(q: Queryable, networkId: number, page?: NetworkDevicesPage): Promise<NetworkDeviceInfo[]> {
  return q<NetworkDeviceInfo[]>`
    SELECT d.id AS device_id, d.name AS device_name, d.pubkey, d.user_id, u.username,
           ARRAY(SELECT host(a.address) FROM network_device_addresses a
                 WHERE a.network_id = nd.network_id AND a.device_id = d.id ORDER BY family(a.address), a.address) AS addresses,
           nd.is_authorized, nd.authorized_at,
           COALESCE(nd.last_handshake > now() - make_interval(secs => n.peer_disconnect_threshold), false) AS connected,
           nd.last_handshake, nd.endpoint, COALESCE(nd.upload, 0) AS upload, COALESCE(nd.download, 0) AS download
    FROM network_devices nd JOIN networks n ON n.id = nd.network_id
    JOIN devices d ON d.id = nd.device_id JOIN users u ON u.id = d.user_id
    WHERE nd.network_id = ${networkId}
      ${page ? q`AND nd.device_id IN (${pageIds(q, networkId, page)})` : q``}
    ORDER BY ${page ? q`nd.last_handshake DESC NULLS LAST, ` : q``}d.id`;
}

/** `GET /network/{id}/devices` → 200 `[NetworkDeviceInfo]`, 404 `{"error": "network <id> not found"}`. */
export function networkDeviceRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  return new Hono<AdminEnv>().get("/network/:id{[0-9]{1,15}}/devices", async (c) => {
    const id = Number(c.req.param("id"));
    const [network] = await deps.sql`SELECT 1 FROM networks WHERE id = ${id}`;
    if (!network) throw notFound(`network ${c.req.param("id")} not found`);
    return c.json(await listNetworkDevices(deps.sql, id));
  });
}
