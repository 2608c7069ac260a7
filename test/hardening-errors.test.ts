// No stack trace, SQL or internal message reaches a client of the admin API; the log has it, with the
// request id the client got in X-Request-Id. Bad input anywhere in the request is a 400 naming its place.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { AdminEnv } from "../core/admin-api/deps.ts";
import { type AdminTestContext, createAdminTestContext } from "./support/admin-api.ts";

let ctx: AdminTestContext;

beforeAll(async () => {
  const failing = new Hono<AdminEnv>().get("/explode", async () => {
    throw new Error('relation "secret_table" does not exist\n    at query (/srv/core/store/users.ts:42:7)');
  });
  ctx = await createAdminTestContext({ extraRoutes: [failing] });
});

afterAll(async () => {
  await ctx?.cleanup();
});

describe("admin API errors", () => {
  test("an unexpected error: 500 Internal server error; the cause only in the log, with the request id", async () => {
    const res = await ctx.call("GET", "/api/v1/explode", { cookie: ctx.adminCookie });
    expect([res.status, res.body]).toEqual([500, { error: "Internal server error" }]);
    const id = res.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.logLines.some((l) => l.includes("secret_table") && l.includes(id))).toBe(true);
  });

  test("every answer carries a request id, refusals included", async () => {
    for (const path of ["/api/v1/user", "/api/v1/nowhere"]) {
      expect((await ctx.call("GET", path)).headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test.each([
    ["/api/v1/user/a%00b", "path: must not contain NUL characters"],
    ["/api/v1/user/%ED%A0%80", "path: invalid percent-encoding"],
    ["/api/v1/audit?username=%00", "query parameter: must not contain NUL characters"],
  ])("GET %s: 400 %s", async (path, message) => {
    const res = await ctx.call("GET", path, { cookie: ctx.adminCookie });
    expect([res.status, res.body]).toEqual([400, { error: message }]);
  });

  test.each([
    ['{"username":"x\\u0000","first_name":"A","last_name":"B","email":"a@example.com"}', "username: must not contain NUL characters"],
    ['{"username":"ok","first_name":"\\ud800","last_name":"B","email":"a@example.com"}', "first_name: must be valid Unicode (lone surrogate)"],
    [`{"username":"ok","first_name":"${"x".repeat(5000)}","last_name":"B","email":"a@example.com"}`, "first_name: expected at most 4096 characters"],
    ["{", "request body: expected JSON"],
  ])("POST /api/v1/user with a bad body: 400 naming the field", async (rawBody, message) => {
    const res = await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, rawBody });
    expect([res.status, res.body]).toEqual([400, { error: message }]);
  });
});
