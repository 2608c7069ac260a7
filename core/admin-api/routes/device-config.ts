// A device's configuration for one network, as a file to download (Defguard's path):
//   GET /network/{network_id}/device/{device_id}/config → 200 text/plain, the config with YOUR_PRIVATE_KEY
//   404 {"error": "device <id> has no configuration in network <id>"}
import { Hono } from "hono";
import { notFound } from "../../../shared/errors.ts";
import { loadDeviceConfigs } from "../../flows/instance-info.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

const ID = "[0-9]{1,15}";

export function deviceConfigRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  return new Hono<AdminEnv>().get(`/network/:network{${ID}}/device/:device{${ID}}/config`, async (c) => {
    const [networkId, deviceId] = [c.req.param("network"), c.req.param("device")];
    const config = (await loadDeviceConfigs(deps.sql, Number(deviceId))).find((cfg) => cfg.network_id === Number(networkId));
    if (!config) throw notFound(`device ${deviceId} has no configuration in network ${networkId}`);
    c.header("Content-Disposition", `attachment; filename="${(config.network_name ?? "wireguard").replace(/[^A-Za-z0-9._-]/g, "_")}.conf"`);
    return c.text(config.config ?? "");
  });
}
