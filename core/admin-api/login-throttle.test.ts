// Issue 14, item 3: admin login guessing. The clock of the throttle is the test's, so "until the window
// passes" is a step of the clock, not a wait.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { createAdminApp } from "./app.ts";
import { THROTTLED_MESSAGE } from "./login-throttle.ts";
import { startAdminServer } from "./server.ts";

let ctx: AdminTestContext;
let clock = Date.now();
const PASSWORD = "Wonder1and!";
const MINUTE_MS = 60_000;

async function addUser(username: string): Promise<void> {
  const body = { username, first_name: "T", last_name: "U", email: `${username}@example.com`, password: PASSWORD };
  const res = await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body });
  expect(res.status).toBe(201);
}

const login = (username: string, password: string) => ctx.call("POST", "/api/v1/auth", { body: { username, password } });

/** [status, Retry-After, body] of each call. */
async function attempts(n: number, username: string, password: string) {
  const out: Array<[number, string | null, unknown]> = [];
  for (let i = 0; i < n; i++) {
    const res = await login(username, password);
    out.push([res.status, res.headers.get("retry-after"), res.body]);
  }
  return out;
}

const WRONG: [number, string | null, unknown] = [401, null, { error: "invalid username or password" }];
const throttled = (seconds: number): [number, string | null, unknown] => [429, String(seconds), { error: THROTTLED_MESSAGE }];

beforeAll(async () => {
  ctx = await createAdminTestContext({ now: () => clock });
});
afterAll(() => ctx.cleanup());

describe("admin login throttling", () => {
  test("the attack of issue 14: 40 wrong passwords, then the right one, is still refused until the lock ends", async () => {
    await addUser("alice");
    const results = await attempts(40, "alice", "guess");
    expect(results.slice(0, 5)).toEqual(Array(5).fill(WRONG));
    expect(results.slice(5)).toEqual(Array(35).fill(throttled(900)));
    const right = await login("alice", PASSWORD);
    expect([right.status, right.headers.get("retry-after"), right.body]).toEqual(throttled(900));
    expect(right.headers.get("set-cookie")).toBeNull();
    clock += 10 * MINUTE_MS;
    expect((await login("alice", PASSWORD)).status).toBe(429);
    clock += 5 * MINUTE_MS;
    const after = await login("alice", PASSWORD);
    expect(after.status).toBe(200);
    expect(after.body.user.username).toBe("alice");
  });

  test("an unknown name gets exactly the same answers: the 429 tells nothing about which accounts exist", async () => {
    await addUser("bob");
    expect(await attempts(7, "bob", "guess")).toEqual(await attempts(7, "nobody-here", "guess"));
  });

  test("after the first lock each failure locks twice as long; a success forgets the account's streak", async () => {
    await addUser("carol");
    await attempts(5, "carol", "guess");
    clock += 15 * MINUTE_MS;
    expect(await attempts(2, "carol", "guess")).toEqual([WRONG, throttled(1800)]);
    clock += 30 * MINUTE_MS;
    expect(await attempts(2, "carol", "guess")).toEqual([WRONG, throttled(3600)]);
    clock += 60 * MINUTE_MS;
    expect((await login("carol", PASSWORD)).status).toBe(200);
    expect(await attempts(5, "carol", "guess")).toEqual(Array(5).fill(WRONG));
  });

  test("forty guesses sent at once: no more than five passwords are checked", async () => {
    await addUser("dave");
    const results = await Promise.all(Array.from({ length: 40 }, () => login("dave", "guess")));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    const [row] = await ctx.db.sql<{ failures: number }[]>`
      SELECT failures FROM login_failures WHERE key = 'user:' || (SELECT id FROM users WHERE username = 'dave')`;
    expect(row!.failures).toBeLessThanOrEqual(5);
    expect((await login("dave", PASSWORD)).status).toBe(429);
  });

  test("twenty failures from one address lock that address for every account, on a real socket", async () => {
    await addUser("erin");
    const app = createAdminApp(ctx.deps);
    const server = startAdminServer({ app, host: "127.0.0.1", port: 0, log: createLogger({ level: "error", format: "text", target: "test" }) });
    const post = (username: string, password: string) =>
      fetch(`${server.url}/api/v1/auth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
    try {
      for (let i = 0; i < 20; i++) expect((await post(`sprayed-${i}`, "guess")).status).toBe(401);
      const next = await post("sprayed-20", "guess");
      expect([next.status, next.headers.get("retry-after"), await next.json()]).toEqual(throttled(900));
      const right = await post("erin", PASSWORD);
      expect(right.status).toBe(429);
      // Another address is not affected (in-process requests have none).
      expect((await login("erin", PASSWORD)).status).toBe(200);
    } finally {
      await server.stop();
    }
    clock += 15 * MINUTE_MS;
  });

  test("failure streaks are stored by account id or by the name's hash, never by a typed name", async () => {
    await attempts(1, "Password-Typed-As-Name!", "x");
    const keys = (await ctx.db.sql<{ key: string }[]>`SELECT key FROM login_failures`).map((r) => r.key);
    expect(keys.some((k) => k.toLowerCase().includes("password-typed"))).toBe(false);
    expect(keys.every((k) => /^(user:\d+|login:[0-9a-f]{64}|address:.+)$/.test(k))).toBe(true);
  });
});
