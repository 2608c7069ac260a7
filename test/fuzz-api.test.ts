// Fuzzing every public JSON endpoint of the Proxy (with a real Core, its flows and a real database behind
// it over real gRPC) and the Core's admin API, with fast-check: paths, methods, headers and bodies full of
// Unicode, NUL, lone surrogates, long strings, wrong types, duplicate keys and deep nesting. None may be
// answered with a 5xx (a Core is connected, so not even 503/504), none may leak internals, and both
// services must still serve afterwards. Most requests go in-process (app.fetch), a sample over sockets.
// FUZZ_SCALE multiplies the run counts; FUZZ_SUMMARY_FILE receives the figures as JSON (bun run chaos).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import type { Hono } from "hono";
import { createAdminApp } from "../core/admin-api/app.ts";
import type { AdminEnv } from "../core/admin-api/deps.ts";
import { createAuditLog } from "../core/audit/audit-log.ts";
import { loadCoreConfig } from "../core/config.ts";
import { type CoreHandle, startCore } from "../core/start-core.ts";
import { createLogger } from "../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { newDeviceKey } from "./support/flow-harness.ts";
import { type FuzzEndpoint, type FuzzRequest, StatusTally, type ValuePool, basePool, requestFor, toRequest, weirdString } from "./support/fuzz-inputs.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";
import { waitFor } from "./support/test-core.ts";

const SCALE = Number(process.env.FUZZ_SCALE ?? "1");
const RUNS = {
  proxyInProcess: Math.round(8_000 * SCALE),
  proxySockets: Math.round(1_000 * SCALE),
  adminInProcess: Math.round(6_000 * SCALE),
  adminSockets: Math.round(1_000 * SCALE),
};
const LEAK = /PostgresError|syntax error|violates|relation "|duplicate key|\bat [\w.<>]+ \(|\.ts:\d+|node_modules|TypeError|ReferenceError|stack/;

const PROXY_ENDPOINTS: FuzzEndpoint[] = [
  { method: "POST", path: "/api/v1/enrollment/start", fields: { token: "token" } },
  { method: "POST", path: "/api/v1/enrollment/activate_user", fields: { password: "password", phone_number: "phone" } },
  { method: "POST", path: "/api/v1/enrollment/create_device", fields: { name: "name", pubkey: "pubkey" } },
  { method: "POST", path: "/api/v1/enrollment/network_info", fields: { pubkey: "pubkey" } },
  { method: "POST", path: "/api/v1/enrollment/register-mfa/code/start", fields: { method: "method" } },
  { method: "POST", path: "/api/v1/enrollment/register-mfa/code/finish", fields: { method: "method", code: "code" } },
  { method: "POST", path: "/api/v1/password-reset/request", fields: { email: "email" } },
  { method: "POST", path: "/api/v1/password-reset/start", fields: { token: "token" } },
  { method: "POST", path: "/api/v1/password-reset/reset", fields: { password: "password" } },
  { method: "POST", path: "/api/v1/client-mfa/start", fields: { location_id: "id", pubkey: "pubkey", method: "methodNumber" } },
  { method: "POST", path: "/api/v1/client-mfa/finish", fields: { token: "token", code: "code", auth_pub_key: "pubkey" } },
  { method: "POST", path: "/api/v1/poll", fields: { token: "token" } },
  { method: "GET", path: "/api/v1/health", fields: {} },
  { method: "GET", path: "/api/v1/health-grpc", fields: {} },
  { method: "GET", path: "/api/v1/info", fields: {} },
];

const USER_FIELDS = { username: "text", first_name: "text", last_name: "text", email: "email", phone: "phone", password: "password", is_active: "bool" } as const;
const NETWORK_FIELDS = { name: "text", address: "list", port: "id", endpoint: "text", allowed_ips: "list", dns: "text", keepalive_interval: "id", allowed_groups: "list", mfa_mode: "text" } as const;
const ADMIN_ENDPOINTS: FuzzEndpoint[] = [
  { method: "POST", path: "/api/v1/auth", fields: { username: "text", password: "password" } },
  { method: "GET", path: "/api/v1/me", fields: {} },
  { method: "GET", path: "/api/v1/health", fields: {} },
  { method: "GET", path: "/api/v1/user", fields: {} },
  { method: "POST", path: "/api/v1/user", fields: USER_FIELDS },
  { method: "GET", path: "/api/v1/user/:username", fields: {} },
  { method: "PUT", path: "/api/v1/user/:username", fields: USER_FIELDS },
  { method: "DELETE", path: "/api/v1/user/:username", fields: {} },
  { method: "POST", path: "/api/v1/user/:username/start_enrollment", fields: { send_enrollment_notification: "bool", email: "email" } },
  { method: "POST", path: "/api/v1/user/:username/start_desktop", fields: { send_enrollment_notification: "bool", email: "email" } },
  { method: "GET", path: "/api/v1/group", fields: {} },
  { method: "POST", path: "/api/v1/group", fields: { name: "text" } },
  { method: "POST", path: "/api/v1/group/:name/user/:username", fields: {} },
  { method: "DELETE", path: "/api/v1/group/:name/user/:username", fields: {} },
  { method: "GET", path: "/api/v1/network", fields: {} },
  { method: "POST", path: "/api/v1/network", fields: NETWORK_FIELDS },
  { method: "GET", path: "/api/v1/network/:id", fields: {} },
  { method: "PUT", path: "/api/v1/network/:id", fields: NETWORK_FIELDS },
  { method: "DELETE", path: "/api/v1/network/:id", fields: {} },
  { method: "GET", path: "/api/v1/network/:id/devices", fields: {} },
  { method: "GET", path: "/api/v1/device/user/:username", fields: {} },
  { method: "DELETE", path: "/api/v1/device/:id", fields: {} },
  { method: "GET", path: "/api/v1/settings", fields: {} },
  { method: "PATCH", path: "/api/v1/settings", fields: { instance_name: "text", enrollment_vpn_step_optional: "bool", smtp_host: "text", smtp_port: "id", main_logo_url: "text", enrollment_welcome_email_subject: "text", enrollment_welcome_email: "text", enrollment_use_welcome_message_as_email: "bool" } },
  { method: "GET", path: "/api/v1/mail/outbox", fields: {} },
  { method: "GET", path: "/api/v1/audit", fields: {} },
  { method: "GET", path: "/api/v1/audit?limit=:id&before_id=:id&event=:username&username=:username", fields: {} },
];

let db: TestDatabase;
let proxy: TestProxy;
let core: CoreHandle;
let adminApp: Hono<AdminEnv>;
let adminCookie: string;
const pool: ValuePool = basePool();
const cookies: string[] = [];
const coreLog: string[] = [];
const summary: Record<string, { runs: number; statuses: string; ms: number }> = {};

async function adminCall(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { cookie: adminCookie };
  if (method !== "GET") headers["content-type"] = "application/json";
  const res = await adminApp.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Users, a network with MFA, enrollment tokens and an open enrollment session: values worth fuzzing with. */
async function seed(): Promise<void> {
  const login = await adminApp.request("/api/v1/auth", { method: "POST", headers: { "content-type": "application/json" }, body: '{"username":"admin","password":"pass123"}' });
  adminCookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const network = await adminCall("POST", "/api/v1/network", { name: "fuzz-net", address: "10.77.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.77.0.0/24" });
  expect(network.status).toBe(201);
  pool.id.push(network.body.id);
  for (let i = 1; i <= 6; i++) {
    const username = `fuzzuser${i}`;
    const user = await adminCall("POST", "/api/v1/user", { username, first_name: "Fuzz", last_name: `User ${i}`, email: `${username}@example.com` });
    expect(user.status).toBe(201);
    const started = await adminCall("POST", `/api/v1/user/${username}/start_enrollment`, {});
    pool.token.push(started.body.enrollment_token);
    pool.email.push(`${username}@example.com`);
  }
  for (let i = 0; i < 4; i++) pool.pubkey.push(newDeviceKey());
  pool.password.push("Fuzz-Passw0rd!");
  pool.text.push("fuzzuser1", "fuzz-net", "admin");
  const started = await proxy.proxy.app.request("/api/v1/enrollment/start", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: pool.token[pool.token.length - 1] }) });
  expect(started.status).toBe(200);
  cookies.push(started.headers.get("set-cookie")!.split(";")[0]!);
}

beforeAll(async () => {
  db = await createTestDatabase();
  if (db.kind === "embedded") await db.close();
  proxy = await startTestProxy({ DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0" });
  const log = createLogger({ level: "warn", format: "text", target: "defguard", write: (line) => coreLog.push(line) });
  const config = loadCoreConfig({
    ...db.env,
    DEFGUARD_PROXY_URL: `http://${proxy.target}`,
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_PORT: "0",
    DEFGUARD_ENROLLMENT_URL: proxy.url,
    DEFGUARD_AUTH_SECRET: "fuzz-test-auth-secret-of-32-characters-at-least",
  });
  core = await startCore(config, log);
  await waitFor(() => proxy.proxy.links.connectedCount === 1, 20_000, "the core to connect");
  adminApp = createAdminApp({ sql: core.db.sql, config, log, audit: createAuditLog(core.db.sql, log) });
  await seed();
}, 60_000);

afterAll(async () => {
  await core?.stop();
  await proxy?.stop();
  await db?.cleanup();
  if (process.env.FUZZ_SUMMARY_FILE) writeFileSync(process.env.FUZZ_SUMMARY_FILE, JSON.stringify(summary, null, 2));
});

/** The checks every answer passes: no 5xx, errors as `{"error": string}` that leak nothing internal. */
async function checkAnswer(request: FuzzRequest, res: Response, tally: StatusTally): Promise<void> {
  tally.add(res.status);
  const text = await res.text();
  const where = `${request.method} ${request.path.slice(0, 200)} -> ${res.status} ${text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx: ${where}\ncore log:\n${coreLog.slice(-5).join("\n")}`);
  if (res.status >= 400 && request.method !== "HEAD" && text !== "" && text !== "Not found") {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`error answer is not JSON: ${where}`);
    }
    if (typeof (body as { error?: unknown }).error !== "string") throw new Error(`error answer without "error": ${where}`);
    if (LEAK.test((body as { error: string }).error)) throw new Error(`internal detail in an answer: ${where}`);
  }
}

async function fuzz(name: string, runs: number, arbitrary: fc.Arbitrary<FuzzRequest>, send: (request: FuzzRequest) => Promise<Response>): Promise<void> {
  const tally = new StatusTally();
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(arbitrary, async (request) => checkAnswer(request, await send(request), tally)),
    { numRuns: runs, endOnFailure: true },
  );
  summary[name] = { runs: tally.total, statuses: tally.toString(), ms: Math.round(performance.now() - started) };
  process.stderr.write(`fuzz ${name}: ${tally.total} requests in ${summary[name]!.ms} ms, statuses ${tally.toString()}\n`);
  expect(tally.total).toBe(runs);
}

const usernames = fc.oneof(fc.constantFrom("fuzzuser1", "fuzzuser2", "fuzzuser3", "nobody", "admin-not", ""), weirdString);
const ids = fc.oneof(fc.constantFrom("1", "2", "0", "999999999999999", "99999999999999999999", "-1", "abc"), weirdString);

describe("fuzz: the Proxy's public API with a real Core behind it", () => {
  const peer = { requestIP: () => ({ address: "192.0.2.1" }) };

  test(`in-process: ${RUNS.proxyInProcess} generated requests, none answered 5xx`, async () => {
    const arbitrary = requestFor(PROXY_ENDPOINTS, pool, { cookies }, usernames);
    await fuzz("proxy in-process", RUNS.proxyInProcess, arbitrary, async (r) => proxy.proxy.app.fetch(toRequest("http://localhost", r), peer));
  }, 600_000);

  test(`over sockets: ${RUNS.proxySockets} generated requests, none answered 5xx`, async () => {
    const arbitrary = requestFor(PROXY_ENDPOINTS, pool, { cookies }, usernames);
    await fuzz("proxy sockets", RUNS.proxySockets, arbitrary, (r) => fetch(toRequest(proxy.url, r)));
  }, 600_000);

  test("a field of the wrong type, null, NUL or far too long: 400 naming the field", async () => {
    const valid: Record<string, Record<string, unknown>> = {
      "/api/v1/enrollment/start": { token: "t" },
      "/api/v1/enrollment/activate_user": { password: "p" },
      "/api/v1/enrollment/create_device": { name: "n", pubkey: "k" },
      "/api/v1/enrollment/network_info": { pubkey: "k" },
      "/api/v1/enrollment/register-mfa/code/start": { method: "Totp" },
      "/api/v1/enrollment/register-mfa/code/finish": { method: "Totp", code: "1" },
      "/api/v1/password-reset/request": { email: "e" },
      "/api/v1/password-reset/start": { token: "t" },
      "/api/v1/password-reset/reset": { password: "p" },
      "/api/v1/client-mfa/start": { location_id: 1, pubkey: "k", method: 0 },
      "/api/v1/client-mfa/finish": { token: "t", code: "1" },
      "/api/v1/poll": { token: "t" },
    };
    const badForStrings = [5, null, true, {}, [], "x\u0000y", "\ud800", "x".repeat(5_000), { deep: [[[["\u0000"]]]] }];
    const badForNumbers = ["1", null, true, {}, [], 1.5, -1, 2 ** 64];
    let checked = 0;
    for (const [path, body] of Object.entries(valid)) {
      for (const field of Object.keys(body)) {
        for (const value of typeof body[field] === "number" ? badForNumbers : badForStrings) {
          const res = await proxy.proxy.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...body, [field]: value }) });
          const answer = (await res.json()) as { error: string };
          if (res.status !== 400 || !answer.error.includes(`"${field}`)) throw new Error(`${path} ${field}=${JSON.stringify(value).slice(0, 40)}: ${res.status} ${answer.error}`);
          checked++;
        }
      }
    }
    summary["field checks"] = { runs: checked, statuses: `400:${checked}`, ms: 0 };
    expect(checked).toBeGreaterThan(100);
  });
});

describe("fuzz: the Core's admin API", () => {
  const adminHeaders = () => ({ cookies: [adminCookie], alwaysCookie: true });
  const adminRequest = () => requestFor(ADMIN_ENDPOINTS, pool, adminHeaders(), fc.oneof(usernames, ids));

  test(`in-process: ${RUNS.adminInProcess} generated requests, none answered 5xx`, async () => {
    await fuzz("admin in-process", RUNS.adminInProcess, adminRequest(), async (r) => adminApp.fetch(toRequest("http://localhost", r)));
  }, 600_000);

  test(`over sockets: ${RUNS.adminSockets} generated requests, none answered 5xx`, async () => {
    await fuzz("admin sockets", RUNS.adminSockets, adminRequest(), (r) => fetch(toRequest(core.admin.url, r)));
  }, 600_000);
});

describe("after the fuzzing", () => {
  test("both services still serve, the link is up and nothing is left pending", async () => {
    expect(proxy.proxy.links.connectedCount).toBe(1);
    expect(proxy.proxy.links.pendingCount).toBe(0);
    expect((await fetch(`${proxy.url}/api/v1/health-grpc`)).status).toBe(200);
    expect((await fetch(`${core.admin.url}/api/v1/health`)).status).toBe(200);
    const total = Object.values(summary).reduce((sum, s) => sum + s.runs, 0);
    process.stderr.write(`fuzz total: ${total} generated requests\n`);
    expect(total).toBeGreaterThanOrEqual(10_000 * Math.min(1, SCALE));
  });
});
