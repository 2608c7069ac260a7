// Issue 14, item 2: requests forged by a page of another origin (another port of the same host counts)
// are refused before any route runs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { createAdminApp } from "./app.ts";
import { CROSS_ORIGIN_MESSAGE, JSON_REQUIRED_MESSAGE } from "./csrf-guard.ts";
import { type AdminServer, startAdminServer } from "./server.ts";

let ctx: AdminTestContext;
let server: AdminServer;
/** The Proxy's pages on another port of the same host: same site, another origin. */
let otherOrigin: string;
const ATTACKER = { username: "mallory", first_name: "M", last_name: "X", email: "mallory@example.com", password: "Attacker-Passw0rd!" };

beforeAll(async () => {
  ctx = await createAdminTestContext();
  server = startAdminServer({ app: createAdminApp(ctx.deps), host: "127.0.0.1", port: 0, log: createLogger({ level: "error", format: "text", target: "test" }) });
  otherOrigin = `http://127.0.0.1:${server.port === 8080 ? 8081 : 8080}`;
});
afterAll(async () => {
  await server.stop();
  await ctx.cleanup();
});

/** A request as a browser sends it to the real socket: the admin's cookie rides along. */
async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`${server.url}${path}`, { method, headers: { cookie: ctx.adminCookie, ...headers }, body });
  return [res.status, await res.json().catch(() => null)];
}

const userExists = async (username: string) => (await ctx.db.sql`SELECT 1 FROM users WHERE username = ${username}`).length === 1;
const isAdmin = async (username: string) =>
  (await ctx.db.sql`SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id WHERE g.name = 'admin' AND u.username = ${username}`).length === 1;

describe("admin API CSRF guard", () => {
  test("the attack of issue 14: a text/plain form from another port creating an admin is refused", async () => {
    const form = JSON.stringify(ATTACKER);
    expect(await send("POST", "/api/v1/user", { origin: otherOrigin, "content-type": "text/plain" }, form)).toEqual([403, { error: CROSS_ORIGIN_MESSAGE }]);
    // The same form where the browser sent no Origin (or the page is this origin): the media type stops it.
    expect(await send("POST", "/api/v1/user", { "content-type": "text/plain" }, form)).toEqual([415, { error: JSON_REQUIRED_MESSAGE }]);
    expect(await send("POST", "/api/v1/user", { "content-type": "application/x-www-form-urlencoded" }, "username=mallory")).toEqual([415, { error: JSON_REQUIRED_MESSAGE }]);
    expect(await userExists("mallory")).toBe(false);
    // A script of another origin may send JSON only after a preflight this API never grants; if a browser
    // sent it anyway, Origin would give it away.
    expect(await send("POST", "/api/v1/user", { origin: otherOrigin, "content-type": "application/json" }, form)).toEqual([403, { error: CROSS_ORIGIN_MESSAGE }]);
    expect(await userExists("mallory")).toBe(false);
  });

  test("the body-less POST /group/admin/user/<name> needs the JSON type and this origin", async () => {
    expect((await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body: { ...ATTACKER, username: "victim", email: "victim@example.com" } })).status).toBe(201);
    expect(await send("POST", "/api/v1/group/admin/user/victim", {})).toEqual([415, { error: JSON_REQUIRED_MESSAGE }]);
    expect(await send("POST", "/api/v1/group/admin/user/victim", { origin: "null", "content-type": "application/json" })).toEqual([403, { error: CROSS_ORIGIN_MESSAGE }]);
    expect(await isAdmin("victim")).toBe(false);
    const [status] = await send("POST", "/api/v1/group/admin/user/victim", { origin: server.url, "content-type": "application/json" });
    expect(status).toBe(200);
    expect(await isAdmin("victim")).toBe(true);
    expect((await send("DELETE", "/api/v1/group/admin/user/victim", {}))[0]).toBe(415);
    expect(await isAdmin("victim")).toBe(true);
  });

  test("login CSRF: a forged login (to sign the victim into the attacker's account) sets no cookie", async () => {
    const forged: Array<[number, Record<string, string>]> = [[415, { "content-type": "text/plain" }], [403, { origin: otherOrigin, "content-type": "application/json" }]];
    for (const [status, headers] of forged) {
      const res = await fetch(`${server.url}/api/v1/auth`, { method: "POST", headers, body: JSON.stringify({ username: "admin", password: "pass123" }) });
      expect(res.status).toBe(status);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  test("logout CSRF: a forged logout leaves the session alive", async () => {
    const cookie = await ctx.login("admin", "pass123");
    const logout = (headers: Record<string, string>) => fetch(`${server.url}/api/v1/auth/logout`, { method: "POST", headers: { cookie, ...headers } });
    expect((await logout({ origin: otherOrigin, "content-type": "application/json" })).status).toBe(403);
    expect((await logout({ "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await logout({})).status).toBe(415);
    expect((await ctx.call("GET", "/api/v1/me", { cookie })).status).toBe(200);
    expect((await logout({ origin: server.url, "content-type": "application/json" })).status).toBe(200);
    expect((await ctx.call("GET", "/api/v1/me", { cookie })).status).toBe(401);
  });

  test("GET is not checked; the JSON type may carry a charset; a same-origin request passes", async () => {
    expect((await send("GET", "/api/v1/user", { origin: otherOrigin }))[0]).toBe(200);
    const [status] = await send("PATCH", "/api/v1/settings", { origin: server.url, "content-type": "Application/JSON; charset=utf-8" }, JSON.stringify({ instance_name: "Acme" }));
    expect(status).toBe(200);
  });
});
