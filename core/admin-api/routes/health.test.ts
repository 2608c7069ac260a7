import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { type AdminTestContext, createAdminTestContext } from "../../../test/support/admin-api.ts";

setDefaultTimeout(60_000);

let ctx: AdminTestContext | undefined;
afterEach(async () => {
  await ctx?.cleanup();
  ctx = undefined;
});

test("GET /api/v1/health answers 200 with the database up and no proxy configured, without a session", async () => {
  ctx = await createAdminTestContext();
  const res = await ctx.call("GET", "/api/v1/health");
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: "ok", database: "up", proxies: { connected: 0, configured: 0 } });
});

test("GET /api/v1/health answers 200 while one of two proxy links is up, 503 when none is", async () => {
  let connected = 1;
  ctx = await createAdminTestContext({ proxyLinks: () => ({ connected, configured: 2 }) });
  const up = await ctx.call("GET", "/api/v1/health");
  expect(up.status).toBe(200);
  expect(up.body).toEqual({ status: "ok", database: "up", proxies: { connected: 1, configured: 2 } });
  connected = 0;
  const down = await ctx.call("GET", "/api/v1/health");
  expect(down.status).toBe(503);
  expect(down.body).toEqual({ status: "unavailable", database: "up", proxies: { connected: 0, configured: 2 } });
});

test("GET /api/v1/health answers 503 when the database does not answer, and logs why", async () => {
  ctx = await createAdminTestContext({ proxyLinks: () => ({ connected: 2, configured: 2 }) });
  await ctx.db.close();
  const res = await ctx.call("GET", "/api/v1/health");
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: "unavailable", database: "down", proxies: { connected: 2, configured: 2 } });
  expect(ctx.logLines.filter((l) => l.includes("Health check: the database does not answer"))).toHaveLength(1);
});
