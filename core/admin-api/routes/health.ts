// `GET /api/v1/health`: the readiness answer the compose health check and load balancers ask for, without
// a session. 200 `{"status":"ok","database":"up","proxies":{"connected":n,"configured":m}}` when the
// database answers and, with proxies configured, at least one link is up; else 503 with the same shape.
// With the gateway server on, `"gateways":{"connected":n,"peers":m,"connected_all_cores":k}` counts the
// gateways connected to this core, the peers they were given, and the gateways connected to any core (as
// the database records them: a dead core's stop counting once their stamps run out).
import { Hono } from "hono";
import { countConnectedGateways } from "../../gateway/gateway-records.ts";
import { assessHealth, NO_PROXY_LINKS, probeDatabase } from "../../health.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export function healthRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/health", async function health(c) {
    const database = await probeDatabase(deps.sql);
    if (!database.up) deps.log.warn("Health check: the database does not answer", { error: database.error });
    const report = assessHealth(database, deps.proxyLinks?.() ?? NO_PROXY_LINKS);
    // Informational: gateways come and go without making this core unfit to serve.
    const here = deps.gateways?.counts?.();
    if (!here) return c.json(report, report.status === "ok" ? 200 : 503);
    const all = database.up ? await countConnectedGateways(deps.sql).catch(() => undefined) : undefined;
    return c.json({ ...report, gateways: { ...here, connected_all_cores: all } }, report.status === "ok" ? 200 : 503);
  });
  return app;
}
