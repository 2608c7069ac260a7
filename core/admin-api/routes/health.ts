// `GET /api/v1/health`: the readiness answer the compose health check and load balancers ask for, without
// a session. 200 `{"status":"ok","database":"up","proxies":{"connected":n,"configured":m}}` when the
// database answers and, with proxies configured, at least one link is up; else 503 with the same shape.
import { Hono } from "hono";
import { assessHealth, NO_PROXY_LINKS, probeDatabase } from "../../health.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export function healthRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/health", async function health(c) {
    const database = await probeDatabase(deps.sql);
    if (!database.up) deps.log.warn("Health check: the database does not answer", { error: database.error });
    const report = assessHealth(database, deps.proxyLinks?.() ?? NO_PROXY_LINKS);
    return c.json(report, report.status === "ok" ? 200 : 503);
  });
  return app;
}
