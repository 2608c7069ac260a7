// Observability end to end: a Proxy and a Core in this process over real gRPC and a real database. The
// audit trail records enrollments, devices, password resets, MFA and admin logins with the client's
// address (X-Forwarded-For from a trusted reverse proxy) and user agent; GET /api/v1/audit lists it for
// admins only; /metrics of the Core (DEFGUARD_METRICS_PORT) shows the link and the flows.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadCoreConfig } from "../core/config.ts";
import { type CoreHandle, startCore } from "../core/start-core.ts";
import { createLogger } from "../shared/logger.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { newDeviceKey } from "./support/flow-harness.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";
import { ProxyClient } from "./support/proxy-client.ts";
import { type TestSmtpServer, startTestSmtpServer } from "./support/smtp.ts";
import { waitFor } from "./support/test-core.ts";

let db: TestDatabase;
let proxy: TestProxy;
let core: CoreHandle;
let smtp: TestSmtpServer;
let adminCookie: string;
const CLIENT = { "x-forwarded-for": "203.0.113.5", "user-agent": "Mozilla/5.0 (audit test)" };

async function admin(method: string, path: string, body?: unknown, cookie = adminCookie, userAgent = "admin-test/1.0") {
  const headers: Record<string, string> = { cookie, "user-agent": userAgent };
  if (method !== "GET") headers["content-type"] = "application/json";
  const res = await fetch(`${core.admin.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function login(username: string, password: string): Promise<{ status: number; cookie?: string }> {
  const res = await fetch(`${core.admin.url}/api/v1/auth`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "admin-test/1.0" },
    body: JSON.stringify({ username, password }),
  });
  await res.text();
  return { status: res.status, cookie: res.headers.get("set-cookie")?.split(";")[0] };
}

async function auditEvents(query = ""): Promise<any[]> {
  const res = await admin("GET", `/api/v1/audit${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

/**
 * The newest event named `event` that satisfies `wanted` (any, by default): audit writes happen in the
 * background after the answer, so this asks again for a while (a bound, not a measurement).
 */
async function latest(event: string, wanted: (e: any) => boolean = () => true): Promise<any> {
  let found: any;
  for (let i = 0; i < 100; i++) {
    found = (await auditEvents(`?event=${event}&limit=1`))[0];
    if (found && wanted(found)) return found;
    await Bun.sleep(50);
  }
  return found;
}

beforeAll(async () => {
  db = await createTestDatabase();
  if (db.kind === "embedded") await db.close();
  proxy = await startTestProxy({ DEFGUARD_PROXY_TRUSTED_PROXIES: "127.0.0.1" });
  smtp = await startTestSmtpServer();
  const log = createLogger({ level: "error", format: "text", target: "defguard", write: () => {} });
  const config = loadCoreConfig({
    ...db.env,
    DEFGUARD_PROXY_URL: `http://${proxy.target}`,
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_PORT: "0",
    DEFGUARD_METRICS_PORT: "0",
    DEFGUARD_ENROLLMENT_URL: proxy.url,
    DEFGUARD_AUTH_SECRET: "observability-test-secret-of-32-characters",
    DEFGUARD_SMTP_HOST: "127.0.0.1",
    DEFGUARD_SMTP_PORT: String(smtp.port),
    DEFGUARD_SMTP_SENDER: "Defguard <vpn@example.com>",
    DEFGUARD_SMTP_ENCRYPTION: "none",
  });
  core = await startCore(config, log);
  await waitFor(() => proxy.proxy.links.connectedCount === 1, 20_000, "the core to connect");
  adminCookie = (await login("admin", "pass123")).cookie!;
  const network = await admin("POST", "/api/v1/network", { name: "office", address: "10.44.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.44.0.0/24" });
  expect(network.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await core?.stop();
  await proxy?.stop();
  await smtp?.stop();
  await db?.cleanup();
});

describe("audit trail", () => {
  test("an enrollment: started, completed, device added, each with the client's address and user agent", async () => {
    expect((await admin("POST", "/api/v1/user", { username: "alice", first_name: "Alice", last_name: "A", email: "alice@example.com" })).status).toBe(201);
    const { body } = await admin("POST", "/api/v1/user/alice/start_enrollment", {});
    const browser = new ProxyClient(proxy.url);
    expect((await browser.post("/api/v1/enrollment/start", { token: body.enrollment_token }, CLIENT)).status).toBe(200);
    expect((await browser.post("/api/v1/enrollment/create_device", { name: "laptop", pubkey: newDeviceKey() }, CLIENT)).status).toBe(200);
    expect((await browser.post("/api/v1/enrollment/activate_user", { password: "Str0ng!Passw0rd" }, CLIENT)).status).toBe(200);

    const client = { outcome: "success", username: "alice", ip_address: "203.0.113.5", user_agent: "Mozilla/5.0 (audit test)" };
    expect(await latest("enrollment_started")).toMatchObject({ event: "enrollment_started", ...client });
    expect(await latest("enrollment_completed")).toMatchObject({ event: "enrollment_completed", ...client });
    expect(await latest("device_added")).toMatchObject({ event: "device_added", ...client, details: { device: "laptop" } });
  });

  test("a refused enrollment token: a failure, with the reason and nobody named", async () => {
    const res = await new ProxyClient(proxy.url).post("/api/v1/enrollment/start", { token: "A".repeat(32) }, CLIENT);
    expect(res.status).toBe(401);
    const event = await latest("enrollment_started", (e) => e.outcome === "failure");
    expect(event).toMatchObject({ outcome: "failure", username: null, ip_address: "203.0.113.5", details: { reason: res.body.error } });
  });

  test("password reset requested and MFA login refused are recorded", async () => {
    const browser = new ProxyClient(proxy.url);
    expect((await browser.post("/api/v1/password-reset/request", { email: "Alice@Example.com" }, CLIENT)).status).toBe(200);
    expect(await latest("password_reset_requested")).toMatchObject({ outcome: "success", username: "alice", details: { email: "Alice@Example.com" } });
    const mfa = await browser.post("/api/v1/client-mfa/finish", { token: "forged.jwt.token", code: "123456" }, CLIENT);
    expect(mfa.status).toBeGreaterThanOrEqual(400);
    expect(await latest("mfa_login", (e) => e.outcome === "failure")).toMatchObject({ outcome: "failure", username: null, ip_address: "203.0.113.5" });
  });

  test("admin logins, good and bad, with the socket peer and user agent", async () => {
    expect((await login("admin", "wrong-password")).status).toBe(401);
    const failed = await latest("admin_login", (e) => e.outcome === "failure");
    expect(failed).toMatchObject({ outcome: "failure", username: "admin", ip_address: "127.0.0.1", user_agent: "admin-test/1.0", details: { status: 401 } });
    expect((await login("admin", "pass123")).status).toBe(200);
    const ok = await latest("admin_login", (e) => e.outcome === "success" && e.id > failed.id);
    expect(ok).toMatchObject({ outcome: "success", username: "admin", ip_address: "127.0.0.1" });
  });

  test("GET /api/v1/audit: newest first, paged, filtered; 401 without a session, 403 for a non-admin, 400 naming a bad parameter", async () => {
    const all = await auditEvents();
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const page = await auditEvents(`?limit=2&before_id=${all[0].id}`);
    expect(page.map((e: any) => e.id)).toEqual([all[1].id, all[2].id]);
    expect((await auditEvents("?username=alice")).every((e) => e.username === "alice")).toBe(true);

    expect((await admin("GET", "/api/v1/audit", undefined, "")).status).toBe(401);
    await admin("PUT", "/api/v1/user/alice", { is_active: true });
    const alice = await login("alice", "Str0ng!Passw0rd");
    expect(alice.status).toBe(200);
    expect((await admin("GET", "/api/v1/audit", undefined, alice.cookie)).status).toBe(403);

    expect(await admin("GET", "/api/v1/audit?limit=0")).toMatchObject({ status: 400, body: { error: "limit: expected a whole number from 1 to 1000" } });
    expect((await admin("GET", "/api/v1/audit?event=nope")).body.error).toStartWith("event: expected one of admin_login");
  });
});

describe("the Core's /metrics (DEFGUARD_METRICS_PORT)", () => {
  test("link state, connections, pending requests, requests by kind and outcome, the mail outbox", async () => {
    expect(core.metricsPort).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${core.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const proxyLabel = `proxy="http://${proxy.target}"`;
    expect(text).toContain(`defguard_core_proxy_connected{${proxyLabel}} 1`);
    expect(text).toContain(`defguard_core_proxy_connections_total{${proxyLabel}} 1`);
    expect(text).toContain("defguard_core_pending_requests 0");
    expect(text).toContain('defguard_core_link_requests_total{kind="enrollment_start",code="OK"} 1');
    expect(text).toContain('defguard_core_link_requests_total{kind="enrollment_start",code="UNAUTHENTICATED"} 1');
    expect(text).toMatch(/defguard_core_link_request_duration_seconds_count\{kind="new_device"\} 1/);
    expect(text).toMatch(/defguard_core_mail_outbox_depth\{state="pending"\} \d+/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    // Not on the admin API's port.
    expect((await fetch(`${core.admin.url}/metrics`)).status).toBe(404);
  });
});
