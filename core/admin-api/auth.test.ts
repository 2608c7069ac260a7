import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { createAdminApp } from "./app.ts";
import { startAdminServer } from "./server.ts";

let ctx: AdminTestContext;
const ALICE = { username: "alice", first_name: "Alice", last_name: "Liddell", email: "alice@example.com", password: "Wonder1and!" };

beforeAll(async () => {
  ctx = await createAdminTestContext();
  const res = await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body: ALICE });
  expect(res.status).toBe(201);
});
afterAll(() => ctx.cleanup());

describe("POST /api/v1/auth", () => {
  test("right credentials: 200, the user, and an HttpOnly SameSite=Strict Secure session cookie", async () => {
    const res = await ctx.call("POST", "/api/v1/auth", { body: { username: "alice", password: ALICE.password } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: "alice", is_admin: false, enrolled: true, groups: [] });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^defguard_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
    expect(ctx.logLines.some((l) => l.includes(ALICE.password))).toBe(false);
  });

  test("the email address works as login name too", async () => {
    const res = await ctx.call("POST", "/api/v1/auth", { body: { username: "ALICE@example.com", password: ALICE.password } });
    expect(res.status).toBe(200);
  });

  test("wrong password, unknown user and missing fields", async () => {
    const wrong = await ctx.call("POST", "/api/v1/auth", { body: { username: "alice", password: "nope" } });
    expect([wrong.status, wrong.body]).toEqual([401, { error: "invalid username or password" }]);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const unknown = await ctx.call("POST", "/api/v1/auth", { body: { username: "nobody", password: "nope" } });
    expect([unknown.status, unknown.body]).toEqual([401, { error: "invalid username or password" }]);
    const missing = await ctx.call("POST", "/api/v1/auth", { body: { username: "alice" } });
    expect([missing.status, missing.body]).toEqual([400, { error: "password: is required" }]);
    const notJson = await ctx.call("POST", "/api/v1/auth", { rawBody: "username=alice" });
    expect([notJson.status, notJson.body]).toEqual([400, { error: "request body: expected JSON" }]);
    const array = await ctx.call("POST", "/api/v1/auth", { body: ["alice"] });
    expect([array.status, array.body]).toEqual([400, { error: "request body: expected a JSON object" }]);
  });

  test("a disabled user cannot log in, and their sessions end", async () => {
    await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body: { ...ALICE, username: "bob", email: "bob@example.com" } });
    const bobCookie = await ctx.login("bob", ALICE.password);
    const put = await ctx.call("PUT", "/api/v1/user/bob", { cookie: ctx.adminCookie, body: { is_active: false } });
    expect(put.status).toBe(200);
    const me = await ctx.call("GET", "/api/v1/me", { cookie: bobCookie });
    expect([me.status, me.body]).toEqual([401, { error: "log in first: no valid session" }]);
    // The right password learns that the account is disabled (403); a wrong one learns nothing more than elsewhere.
    const res = await ctx.call("POST", "/api/v1/auth", { body: { username: "bob", password: ALICE.password } });
    expect([res.status, res.body]).toEqual([403, { error: "your account is disabled: ask an administrator to enable it" }]);
    expect(res.headers.get("set-cookie")).toBeNull();
    const wrong = await ctx.call("POST", "/api/v1/auth", { body: { username: "bob", password: "Wrong-pass1!" } });
    expect([wrong.status, wrong.body]).toEqual([401, { error: "invalid username or password" }]);
  });

  test("a hash made with weaker settings is replaced at the next login, and only by a right password", async () => {
    const OLD_HASH = await Bun.password.hash(ALICE.password, { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 });
    const storedHash = async () => (await ctx.db.sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE username = 'alice'`)[0]!.password_hash;
    await ctx.db.sql`UPDATE users SET password_hash = ${OLD_HASH} WHERE username = 'alice'`;
    const wrong = await ctx.call("POST", "/api/v1/auth", { body: { username: "alice", password: "Wonder1and?" } });
    expect([wrong.status, await storedHash()]).toEqual([401, OLD_HASH]);
    const right = await ctx.call("POST", "/api/v1/auth", { body: { username: "alice", password: ALICE.password } });
    expect(right.status).toBe(200);
    const upgraded = await storedHash();
    expect(upgraded).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
    expect(ctx.logLines.some((l) => l.includes("Password hash of alice upgraded to the current Argon2id parameters"))).toBe(true);
    await ctx.login("alice", ALICE.password);
    expect(await storedHash()).toBe(upgraded);
  });

  test("a user without a password (not yet enrolled) cannot log in", async () => {
    await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body: { ...ALICE, username: "carol", email: "carol@example.com", password: undefined } });
    const res = await ctx.call("POST", "/api/v1/auth", { body: { username: "carol", password: "" } });
    expect([res.status, res.body]).toEqual([400, { error: "password: must not be empty" }]);
    const guess = await ctx.call("POST", "/api/v1/auth", { body: { username: "carol", password: "anything" } });
    expect(guess.status).toBe(401);
  });
});

describe("sessions", () => {
  test("/me answers any logged-in user; without or with a bad cookie it is 401", async () => {
    const cookie = await ctx.login("alice", ALICE.password);
    const me = await ctx.call("GET", "/api/v1/me", { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: expect.any(Number), username: "alice", email: "alice@example.com", first_name: "Alice", last_name: "Liddell", phone: null,
      is_active: true, enrolled: true, is_admin: false, mfa_enabled: false, totp_enabled: false, email_mfa_enabled: false, groups: [],
    });
    const none = await ctx.call("GET", "/api/v1/me");
    expect([none.status, none.body]).toEqual([401, { error: "log in first: no valid session" }]);
    const forged = await ctx.call("GET", "/api/v1/me", { cookie: "defguard_session=forged" });
    expect(forged.status).toBe(401);
  });

  test("a non-admin gets 403 on admin endpoints, nobody gets in without a session (401)", async () => {
    const cookie = await ctx.login("alice", ALICE.password);
    for (const [method, path] of [["GET", "/api/v1/user"], ["GET", "/api/v1/network"], ["PATCH", "/api/v1/settings"], ["GET", "/api/v1/device/user/alice"]]) {
      const asUser = await ctx.call(method!, path!, { cookie, body: {} });
      expect([asUser.status, asUser.body]).toEqual([403, { error: "only members of group admin may do this" }]);
      const anonymous = await ctx.call(method!, path!, { body: {} });
      expect([anonymous.status, anonymous.body]).toEqual([401, { error: "log in first: no valid session" }]);
    }
  });

  test("logout ends the session server-side and clears the cookie", async () => {
    const cookie = await ctx.login("alice", ALICE.password);
    const out = await ctx.call("POST", "/api/v1/auth/logout", { cookie });
    expect([out.status, out.body]).toEqual([200, null]);
    expect(out.headers.get("set-cookie")).toMatch(/^defguard_session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect((await ctx.call("GET", "/api/v1/me", { cookie })).status).toBe(401);
    const again = await ctx.call("POST", "/api/v1/auth/logout");
    expect(again.status).toBe(200);
  });

  test("an expired session is refused", async () => {
    const cookie = await ctx.login("alice", ALICE.password);
    await ctx.db.sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE username = 'alice')`;
    expect((await ctx.call("GET", "/api/v1/me", { cookie })).status).toBe(401);
  });

  test("sessions are stored hashed: no row holds the cookie value", async () => {
    const cookie = await ctx.login("alice", ALICE.password);
    const value = cookie.split("=")[1]!;
    const rows = await ctx.db.sql`SELECT 1 FROM sessions WHERE id_hash = ${value}`;
    expect(rows.length).toBe(0);
  });
});

describe("unknown paths", () => {
  test("404 with a JSON error for an admin; 401 before that without a session", async () => {
    const res = await ctx.call("GET", "/api/v1/nothing", { cookie: ctx.adminCookie });
    expect([res.status, res.body]).toEqual([404, { error: "not found" }]);
    expect((await ctx.call("GET", "/elsewhere")).body).toEqual({ error: "not found" });
    expect((await ctx.call("GET", "/api/v1/network/abc", { cookie: ctx.adminCookie })).status).toBe(404);
  });
});

describe("startAdminServer", () => {
  test("serves the app on a real socket; DEFGUARD_COOKIE_INSECURE drops Secure from the cookie", async () => {
    const log = createLogger({ level: "error", format: "text", target: "test" });
    const app = createAdminApp({ ...ctx.deps, config: { ...ctx.deps.config, cookieInsecure: true } });
    const server = startAdminServer({ app, host: "127.0.0.1", port: 0, log });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const res = await fetch(`${server.url}/api/v1/auth`, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "admin-test" },
        body: JSON.stringify({ username: "alice", password: ALICE.password }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("set-cookie")).toMatch(/; HttpOnly; SameSite=Strict$/);
      const [row] = await ctx.db.sql<{ ip_address: string; user_agent: string }[]>`
        SELECT ip_address, user_agent FROM sessions WHERE user_agent = 'admin-test'`;
      expect(row).toEqual({ ip_address: "127.0.0.1", user_agent: "admin-test" });
    } finally {
      await server.stop();
    }
  });
});
