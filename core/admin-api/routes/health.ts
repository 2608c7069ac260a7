// `GET /api/v1/health`: the liveness answer the compose health check and load balancers ask for (as
// Defguard's core answers it), without a session. 200 `alive` when the database answers too.
import { Hono } from "hono";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export const HEALTHY_BODY = "alive";
export const DATABASE_DOWN_BODY = "database unavailable";

export function healthRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/health", async function health(c) {
    try {
      await deps.sql`SELECT 1`;
    } catch (err) {
      deps.log.warn("Health check: the database does not answer", { error: err instanceof Error ? err.message : String(err) });
      return c.text(DATABASE_DOWN_BODY, 503);
    }
    return c.text(HEALTHY_BODY);
  });
  return app;
}
