// A network's gateways: the token an admin gives a gateway, and the gateways that connected with it.
//   GET /network/{id}/token    → 200 {"token": "<jwt>", "grpc_url": "<DEFGUARD_GRPC_URL>"}
//   GET /network/{id}/gateways → 200 [{hostname, name, version, address, connected, connected_at, disconnected_at}]
// 404 {"error": "network <id> not found"}; the token route answers 400 while DEFGUARD_GATEWAY_SECRET is unset.
import { Hono } from "hono";
import { failedPrecondition, notFound } from "../../../shared/errors.ts";
import { listGateways } from "../../gateway/gateway-records.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export const GATEWAYS_OFF_MESSAGE = "gateways are off on this core: set DEFGUARD_GATEWAY_SECRET (32 or more characters) and restart it";

const ID = ":id{[0-9]{1,15}}";

export function gatewayRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;
  const requireNetwork = async (id: string) => {
    const [network] = await sql<{ name: string }[]>`SELECT name FROM networks WHERE id = ${Number(id)}`;
    if (!network) throw notFound(`network ${id} not found`);
    return network;
  };

  app.get(`/network/${ID}/token`, async (c) => {
    const network = await requireNetwork(c.req.param("id"));
    const tokens = deps.gateways?.tokens;
    if (!tokens) throw failedPrecondition(GATEWAYS_OFF_MESSAGE);
    const token = await tokens.sign(Number(c.req.param("id")));
    deps.log.info(`Admin ${c.get("session").username} made a gateway token for network ${network.name}`);
    return c.json({ token, grpc_url: deps.gateways!.grpcUrl });
  });

  app.get(`/network/${ID}/gateways`, async (c) => {
    await requireNetwork(c.req.param("id"));
    const gateways = await listGateways(sql, Number(c.req.param("id")));
    return c.json(gateways.map(({ id: _, network_id: __, ...gateway }) => gateway));
  });

  return app;
}
