// The Defguard desktop client's own sequences (read from its source at DESKTOP_CLIENT_TAG, see
// support/desktop-client.ts), replayed request for request against the real Proxy (HTTP) and the Core's
// flows behind it (real gRPC, PostgreSQL): add an instance for an enrolled user, re-add one it knows,
// enroll a new user inside the client, MFA before connecting, polling. Each answer is checked for what
// the client reads from it, with the JSON types its serde structs (prost, proxy.proto) require.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ENROLLED_PASSWORD_HASH, addNetwork, addToken, addUser } from "../core/flows/enrollment/test-fixtures.ts";
import { hashToken } from "../core/tokens.ts";
import { COMPONENT_VERSION, compareVersions } from "../shared/version.ts";
import {
  DesktopClient,
  MIN_CORE_VERSION,
  MIN_PROXY_VERSION,
  WEBVIEW_ORIGINS,
  pollInstance,
} from "./support/desktop-client.ts";
import { type FlowHarness, createFlowHarness, newDeviceKey, unusedTotpCode } from "./support/flow-harness.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PASSWORD = "Cl1ent-enrolled!";

let h: FlowHarness;
let proxy: TestProxy;
let officeId: number;
let mfaLocationId: number;
/** settings.instance_id: every answer must name this one instance. */
let instanceId: string;

// The Proxy first: the Core's DEFGUARD_ENROLLMENT_URL is its address, as the instance's proxy_url that
// the client later dials for MFA and polling.
beforeAll(async () => {
  proxy = await startTestProxy();
  h = await createFlowHarness({ env: { DEFGUARD_ENROLLMENT_URL: proxy.url } });
  await h.link(proxy.target);
  officeId = (await addNetwork(h.sql, { name: "office", address: ["10.71.0.1/24"], allowed_ips: ["10.71.0.0/24"], dns: "10.71.0.1" })).id;
  mfaLocationId = (await addNetwork(h.sql, { name: "secure", address: ["10.72.0.1/24"], allowed_ips: ["10.72.0.0/24"], dns: null, mfa_mode: "internal" })).id;
  instanceId = (await h.sql<{ id: string }[]>`SELECT instance_id::text AS id FROM settings WHERE id = 1`)[0]!.id;
});
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
});

/** What save_device_config / update_instance deserialize: every non-optional field present and typed. */
function expectDeviceConfigResponse(body: any, pubkey: string): void {
  expect(body.device).toEqual({ id: expect.any(Number), name: expect.any(String), pubkey, user_id: expect.any(Number), created_at: expect.any(Number) });
  expect(body.instance).toEqual({
    id: instanceId,
    name: expect.any(String),
    url: expect.any(String),
    proxy_url: `${proxy.url}/`,
    username: expect.any(String),
    enterprise_enabled: expect.any(Boolean),
    disable_all_traffic: expect.any(Boolean),
    openid_display_name: null,
    client_traffic_policy: expect.any(Number),
  });
  expect(body.instance.id).toMatch(UUID);
  const byId = new Map(body.configs.map((c: any) => [c.network_id, c]));
  expect([...byId.keys()].sort()).toEqual([officeId, mfaLocationId].sort());
  const common = { config: expect.stringContaining(`PublicKey = `), endpoint: "vpn.example.com:51820", keepalive_interval: 25, service_location_mode: 1 };
  expect(byId.get(officeId)).toEqual({
    ...common, network_id: officeId, network_name: "office", assigned_ip: expect.stringMatching(/^10\.71\.0\.\d+$/), pubkey: expect.stringMatching(/=$/),
    allowed_ips: "10.71.0.0/24", dns: "10.71.0.1", location_mfa_mode: 1, mfa_enabled: false,
  });
  expect(byId.get(mfaLocationId)).toEqual({
    ...common, network_id: mfaLocationId, network_name: "secure", assigned_ip: expect.stringMatching(/^10\.72\.0\.\d+$/), pubkey: expect.stringMatching(/=$/),
    allowed_ips: "10.72.0.0/24", dns: null, location_mfa_mode: 2, mfa_enabled: true,
  });
}

/** What check_min_version reads from a polling answer, and that nothing makes it warn. */
function expectVersionHeaders(headers: Headers): void {
  expect(headers.get("defguard-component-version")).toBe(COMPONENT_VERSION);
  expect(headers.get("defguard-core-connected")).toBe("true");
  expect(compareVersions(headers.get("defguard-component-version")!, MIN_PROXY_VERSION)).toBeGreaterThanOrEqual(0);
  expect(compareVersions(headers.get("defguard-core-version")!, MIN_CORE_VERSION)).toBeGreaterThanOrEqual(0);
}

describe.each(WEBVIEW_ORIGINS.map((origin) => [origin]))("the desktop client with Origin %s", (origin) => {
  const client = new DesktopClient(origin);

  test("adds an instance for an enrolled user, polls it, and re-adds it as an instance it knows", async () => {
    const user = await addUser(h.sql, { password_hash: ENROLLED_PASSWORD_HASH });
    const added = await client.addInstance(proxy.url, await addToken(h.sql, user.id));
    expect(added.start.status).toBe(200);
    expect(added.authCookie).toMatch(/^defguard_proxy=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
    expect(added.start.body.instance).toEqual({ id: instanceId, name: expect.any(String), url: expect.any(String), proxy_url: `${proxy.url}/`, username: user.username, enterprise_enabled: false, disable_all_traffic: false, openid_display_name: null, client_traffic_policy: 0 });
    expect(added.start.body.user).toMatchObject({ login: user.username, enrolled: true, device_names: [] });
    expect(added.start.body.deadline_timestamp).toEqual(expect.any(Number));

    const pubkey = newDeviceKey();
    const created = await client.createDeviceForInstance(added.proxyApiUrl, added.authCookie!, "laptop", pubkey);
    expect(created.status).toBe(200);
    expectDeviceConfigResponse(created.body, pubkey);
    expect(created.body.token).toMatch(/^[A-Za-z0-9]{32}$/);

    // The instance as saved: proxy_url and the polling token from the answer (config.rs).
    const polled = await pollInstance(created.body.instance.proxy_url, created.body.token);
    expect(polled.status).toBe(200);
    expectVersionHeaders(polled.headers);
    expectDeviceConfigResponse(polled.body.device_config, pubkey);

    // A new token for the same instance: start finds it by instance.id and asks network_info.
    const again = await client.addInstance(proxy.url, await addToken(h.sql, user.id));
    expect([again.start.status, again.start.body.instance.id]).toEqual([200, instanceId]);
    expect(again.start.body.user.device_names).toEqual(["laptop"]);
    const info = await client.networkInfo(again.proxyApiUrl, again.authCookie!, pubkey);
    expect(info.status).toBe(200);
    expectDeviceConfigResponse(info.body, pubkey);
    expect(info.body.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await pollInstance(info.body.instance.proxy_url, info.body.token)).status).toBe(200);
  });
});

describe("a user not yet enrolled, enrolled inside the client, then MFA before connecting", () => {
  const client = new DesktopClient("tauri://localhost");
  let device: { pubkey: string; proxyUrl: string; userId: number; secret: string };

  test("start, create_device, register-mfa/code start and finish (TOTP), activate_user", async () => {
    const user = await addUser(h.sql, { first_name: "Nina", phone: "+48123456789" });
    const added = await client.addInstance(proxy.url, await addToken(h.sql, user.id));
    expect(added.start.status).toBe(200);
    expect(added.start.body.user).toMatchObject({ login: user.username, enrolled: false, phone_number: "+48123456789" });
    expect(added.start.body.settings).toMatchObject({ smtp_configured: true, mfa_required: expect.any(Boolean) });

    const pubkey = newDeviceKey();
    const created = await client.enrollmentCreateDevice(added.proxyApiUrl, added.authCookie!, "workstation", pubkey);
    expect(created.status).toBe(200);
    expectDeviceConfigResponse(created.body, pubkey);

    const mfa = await client.registerMfaStart(added.proxyApiUrl, added.authCookie!, "Totp");
    expect(mfa.status).toBe(200);
    const secret = mfa.body.totp_secret as string;
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    const finished = await client.registerMfaFinish(added.proxyApiUrl, added.authCookie!, "Totp", await unusedTotpCode(h.sql, user.id, secret));
    expect(finished.status).toBe(200);
    expect(finished.body.recovery_codes).toHaveLength(8);

    const activated = await client.activateUser(added.proxyApiUrl, added.authCookie!, added.start.body.user.phone_number, PASSWORD);
    expect([activated.status, activated.body]).toEqual([200, null]);
    const [row] = await h.sql<{ enrolled: boolean; totp_enabled: boolean }[]>`
      SELECT password_hash IS NOT NULL AS enrolled, totp_enabled FROM users WHERE id = ${user.id}`;
    expect(row).toEqual({ enrolled: true, totp_enabled: true });
    device = { pubkey, proxyUrl: created.body.instance.proxy_url, userId: user.id, secret };
  });

  test("client-mfa/start then finish with the TOTP code: token, then preshared_key", async () => {
    const started = await client.clientMfaStart(device.proxyUrl, { method: 0, pubkey: device.pubkey, location_id: mfaLocationId });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ token: expect.any(String), challenge: null });
    const done = await client.clientMfaFinish(device.proxyUrl, started.body.token, await unusedTotpCode(h.sql, device.userId, device.secret));
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ preshared_key: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), token: null });

    // The texts MFAModal compares with: the session is spent, a token that is not one, a method not set up.
    const spent = await client.clientMfaFinish(device.proxyUrl, started.body.token, "123456");
    expect([spent.status, spent.body]).toEqual([401, { error: "login session not found" }]);
    const forged = await client.clientMfaFinish(device.proxyUrl, "not-a-token", "123456");
    expect([forged.status, forged.body]).toEqual([401, { error: "invalid token" }]);
    const email = await client.clientMfaStart(device.proxyUrl, { method: 1, pubkey: device.pubkey, location_id: mfaLocationId });
    expect([email.status, email.body]).toEqual([428, { error: "selected MFA method not available" }]);
  });
});

describe("errors the client matches by text", () => {
  test("an expired token at enrollment/start is 401 'token expired', and no cookie is set", async () => {
    const user = await addUser(h.sql, { password_hash: ENROLLED_PASSWORD_HASH });
    const token = await addToken(h.sql, user.id);
    await h.sql`UPDATE tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(token)}`;
    const added = await new DesktopClient("http://tauri.localhost").addInstance(proxy.url, token);
    expect([added.start.status, added.start.body, added.authCookie]).toEqual([401, { error: "token expired" }, undefined]);
    expect(added.start.headers.get("defguard-component-version")).toBe(COMPONENT_VERSION);
  });
});
