import { afterEach, expect, setDefaultTimeout, test } from "bun:test";
import { type AdminTestContext, createAdminTestContext } from "../../../test/support/admin-api.ts";
import { DATABASE_DOWN_BODY, HEALTHY_BODY } from "./health.ts";

setDefaultTimeout(60_000);

let ctx: AdminTestContext | undefined;
afterEach(async () => {
  await ctx?.cleanup();
  ctx = undefined;
});

test("GET /api/v1/health answers 200 alive without a session", async () => {
  ctx = await createAdminTestContext();
  const res = await ctx.call("GET", "/api/v1/health");
  expect(res.status).toBe(200);
  expect(res.body).toBe(HEALTHY_BODY);
});

test("GET /api/v1/health answers 503 when the database does not answer, and logs why", async () => {
  ctx = await createAdminTestContext();
  await ctx.db.close();
  const res = await ctx.call("GET", "/api/v1/health");
  expect(res.status).toBe(503);
  expect(res.body).toBe(DATABASE_DOWN_BODY);
  expect(ctx.logLines.filter((l) => l.includes("Health check: the database does not answer"))).toHaveLength(1);
});
