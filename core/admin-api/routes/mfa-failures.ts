// What an admin sees of wrong desktop-client MFA codes (issue 14): for one user, the count per device and
// location and over all of them, and any block under way. Blocks are never lifted by hand here: they end
// by themselves (core/mfa/code-throttle.ts), and removing a device whose key leaked ends its guessing.
import { Hono } from "hono";
import { notFound } from "../../../shared/errors.ts";
import { userThrottles } from "../../flows/client-mfa/throttle.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export function mfaFailureRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get("/user/:username/mfa-failures", async (c) => {
    const username = c.req.param("username");
    const throttles = await userThrottles(deps.sql, username);
    if (!throttles) throw notFound(`user ${username} not found`);
    return c.json({ username, ...throttles });
  });
  return app;
}
