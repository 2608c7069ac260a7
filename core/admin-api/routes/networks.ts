// WireGuard networks. Answers carry the network's public key, never its private key.
import { Hono } from "hono";
import { notFound } from "../../../shared/errors.ts";
import { networkInputSchema } from "../../networks/network-schema.ts";
import type { NetworkDeviceSync } from "../../store/network-device-sync.ts";
import { createNetwork, deleteNetwork, getNetwork, listNetworks, updateNetwork } from "../../store/networks.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

/** The sync's counts for a log line, as devices_added / devices_removed / devices_readdressed. */
function devicesChanged(devices: NetworkDeviceSync): Record<string, number> {
  return { devices_added: devices.added, devices_removed: devices.removed, devices_readdressed: devices.readdressed };
}

/** Ids are digits only; anything else does not match a route and answers 404. */
const ID = ":id{[0-9]{1,15}}";

export function networkRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;
  const missing = (id: string) => notFound(`network ${id} not found`);

  app.get("/network", async (c) => c.json(await listNetworks(sql)));

  app.post("/network", async (c) => {
    const { network, devices } = await createNetwork(sql, await readBody(c, networkInputSchema));
    deps.log.info(`Admin ${c.get("session").username} added network ${network.name}`, { id: network.id, ...devicesChanged(devices) });
    return c.json(network, 201);
  });

  app.get(`/network/${ID}`, async (c) => {
    const network = await getNetwork(sql, Number(c.req.param("id")));
    if (!network) throw missing(c.req.param("id"));
    return c.json(network);
  });

  app.put(`/network/${ID}`, async (c) => {
    const changed = await updateNetwork(sql, Number(c.req.param("id")), await readBody(c, networkInputSchema));
    if (!changed) throw missing(c.req.param("id"));
    const { network, devices } = changed;
    await deps.events?.publish({ type: "network", networkId: network.id });
    deps.log.info(`Admin ${c.get("session").username} changed network ${network.name}`, { id: network.id, ...devicesChanged(devices) });
    return c.json(network);
  });

  app.delete(`/network/${ID}`, async (c) => {
    const network = await getNetwork(sql, Number(c.req.param("id")));
    if (!network || !(await deleteNetwork(sql, network.id))) throw missing(c.req.param("id"));
    await deps.events?.publish({ type: "network-deleted", networkId: network.id, name: network.name });
    deps.log.info(`Admin ${c.get("session").username} deleted network ${c.req.param("id")}`);
    return c.body(null, 200);
  });

  return app;
}
