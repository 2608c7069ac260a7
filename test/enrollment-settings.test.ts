// Issue 14, items 5 and 6: the enrollment settings the pages show, enforced by the Core, through the Proxy's
// HTTP API (real gRPC, PostgreSQL). Before: `activate_user` called directly with a password alone succeeded
// whatever "MFA required", "VPN setup optional" and "only client activation" said; one enrollee looping
// create_device filled a network, and the next user's device got a 200 with no address.
import { afterEach, describe, expect, test } from "bun:test";
import { DEVICE_MESSAGES, ENROLLMENT_POLICY_MESSAGES } from "../core/flows/enrollment.ts";
import { NETWORK_FULL_MESSAGE } from "../core/flows/enrollment/network-assignment.ts";
import { type AdminTestContext, createAdminTestContext } from "./support/admin-api.ts";
import { addNetwork, addToken, addUser } from "../core/flows/enrollment/test-fixtures.ts";
import { addDevice, type FlowHarness, newDeviceKey, totpNow, useFlowsBehindProxy } from "./support/flow-harness.ts";
import type { TestProxy } from "./support/in-process-proxy.ts";
import { ProxyClient, type ProxyAnswer } from "./support/proxy-client.ts";

const PASSWORD = "Str0ng-enough!";
/** What the Defguard desktop client sends with each request (WIRE.md: device_info.version). */
const DESKTOP_CLIENT = { "defguard-client-version": "1.6.9", "defguard-client-platform": "CgVsaW51eA==" };
/** The same, under the names the desktop client 1.6 really writes (see proxy/http/device-info.ts). */
const DESKTOP_CLIENT_AS_SENT = { CLIENT_VERSION_HEADER: "1.6.9", CLIENT_PLATFORM_HEADER: "CgVsaW51eA==" };

let h: FlowHarness;
let proxy: TestProxy;
let admin: AdminTestContext;

useFlowsBehindProxy(async (started) => {
  ({ h, proxy } = started);
  await addNetwork(h.sql, { name: "office", address: ["10.60.0.1/24"], allowed_ips: ["10.60.0.0/24"] });
  admin = await createAdminTestContext({}, h.db);
});

afterEach(async () => {
  await h.sql`
    UPDATE settings SET enrollment_mfa_required = false, enrollment_vpn_step_optional = true, only_client_activation = false,
                        max_devices_per_user = 10
    WHERE id = 1`;
});

const setSettings = (s: { enrollment_mfa_required?: boolean; enrollment_vpn_step_optional?: boolean; only_client_activation?: boolean }) =>
  h.sql`UPDATE settings SET ${h.sql(s)} WHERE id = 1`;
const outcome = (a: ProxyAnswer) => `${a.status} ${a.body?.error ?? "ok"}`;

/** A new user's enrollment session, opened by a client sending `headers` with every request. */
async function enrollee(headers: Record<string, string> = {}) {
  const user = await addUser(h.sql, { first_name: "Nina" });
  const client = new ProxyClient(proxy.url);
  const post = (path: string, body: unknown) => client.post(`/api/v1/enrollment/${path}`, body, headers);
  expect((await post("start", { token: await addToken(h.sql, user.id) })).status).toBe(200);
  const activated = async () => (await h.sql<{ set: boolean }[]>`SELECT password_hash IS NOT NULL AS set FROM users WHERE id = ${user.id}`)[0]!.set;
  return { user, post, activated };
}

describe("MFA required", () => {
  test("activate_user without MFA is 428 and activates nothing; with TOTP set up it is 200", async () => {
    await setSettings({ enrollment_mfa_required: true });
    const e = await enrollee();
    expect(outcome(await e.post("activate_user", { password: PASSWORD }))).toBe(`428 ${ENROLLMENT_POLICY_MESSAGES.mfaRequired}`);
    expect(await e.activated()).toBe(false);

    const secret = (await e.post("register-mfa/code/start", { method: "Totp" })).body.totp_secret as string;
    expect((await e.post("register-mfa/code/finish", { method: "Totp", code: totpNow(secret) })).status).toBe(200);
    expect(outcome(await e.post("activate_user", { password: PASSWORD }))).toBe("200 ok");
    expect(await e.activated()).toBe(true);
  });
});

describe("VPN setup not optional", () => {
  test("activate_user before a device was added in the session is 428 and activates nothing; after one, 200", async () => {
    await setSettings({ enrollment_vpn_step_optional: false });
    const e = await enrollee();
    expect(outcome(await e.post("activate_user", { password: PASSWORD }))).toBe(`428 ${ENROLLMENT_POLICY_MESSAGES.deviceRequired}`);
    expect(await e.activated()).toBe(false);
    expect((await e.post("create_device", { name: "laptop", pubkey: newDeviceKey() })).status).toBe(200);
    expect(outcome(await e.post("activate_user", { password: PASSWORD }))).toBe("200 ok");
    expect(await e.activated()).toBe(true);
  });

  test("a device the user had before the session does not count", async () => {
    await setSettings({ enrollment_vpn_step_optional: false });
    const user = await addUser(h.sql, { first_name: "Olga" });
    await addDevice(h.sql, user.id, []);
    await h.sql`UPDATE devices SET created_at = now() - interval '1 hour' WHERE user_id = ${user.id}`;
    const client = new ProxyClient(proxy.url);
    expect((await client.post("/api/v1/enrollment/start", { token: await addToken(h.sql, user.id) })).status).toBe(200);
    expect(outcome(await client.post("/api/v1/enrollment/activate_user", { password: PASSWORD }))).toBe(`428 ${ENROLLMENT_POLICY_MESSAGES.deviceRequired}`);
  });
});

describe("only client activation", () => {
  test("a browser may open the session, and every step that changes something is 403", async () => {
    await setSettings({ only_client_activation: true });
    const e = await enrollee();
    const refused = `403 ${ENROLLMENT_POLICY_MESSAGES.desktopClientOnly}`;
    const pubkey = newDeviceKey();
    expect(outcome(await e.post("create_device", { name: "laptop", pubkey }))).toBe(refused);
    expect(outcome(await e.post("network_info", { pubkey }))).toBe(refused);
    expect(outcome(await e.post("register-mfa/code/start", { method: "Totp" }))).toBe(refused);
    expect(outcome(await e.post("activate_user", { password: PASSWORD }))).toBe(refused);
    expect(await e.activated()).toBe(false);
    const [devices] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM devices WHERE user_id = ${e.user.id}`;
    expect(devices!.n).toBe(0);
    // A version that is not one is not the desktop client either.
    const fake = await enrollee({ "defguard-client-version": "browser" });
    expect(outcome(await fake.post("activate_user", { password: PASSWORD }))).toBe(refused);
  });

  for (const [name, headers] of [["defguard-client-version", DESKTOP_CLIENT], ["CLIENT_VERSION_HEADER", DESKTOP_CLIENT_AS_SENT]] as const) {
    test(`the desktop client (${name}) enrolls: device, then activation`, async () => {
      await setSettings({ only_client_activation: true });
      const e = await enrollee(headers);
      const pubkey = newDeviceKey();
      expect(outcome(await e.post("create_device", { name: "laptop", pubkey }))).toBe("200 ok");
      expect(outcome(await e.post("network_info", { pubkey }))).toBe("200 ok");
      expect(outcome(await e.post("activate_user", { password: PASSWORD }))).toBe("200 ok");
      expect(await e.activated()).toBe(true);
    });
  }
});

describe("devices per user", () => {
  test("create_device beyond settings.max_devices_per_user (set by PATCH /api/v1/settings) is 428; nothing is added", async () => {
    const patched = await admin.call("PATCH", "/api/v1/settings", { cookie: admin.adminCookie, body: { max_devices_per_user: 2 } });
    expect([patched.status, patched.body.max_devices_per_user]).toEqual([200, 2]);
    const e = await enrollee();
    for (const name of ["one", "two"]) expect(outcome(await e.post("create_device", { name, pubkey: newDeviceKey() }))).toBe("200 ok");
    expect(outcome(await e.post("create_device", { name: "three", pubkey: newDeviceKey() }))).toBe(`428 ${DEVICE_MESSAGES.limitReached(2)}`);
    const [devices] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM devices WHERE user_id = ${e.user.id}`;
    expect(devices!.n).toBe(2);
  });
});

describe("a full network", () => {
  test("create_device is 428 naming the network, and no device is left without an address", async () => {
    const tiny = await addNetwork(h.sql, { name: "tiny", address: ["10.61.0.1/30"], allowed_ips: ["10.61.0.0/30"], allowedGroups: ["tiny-users"] });
    const join = (userId: number) => h.sql`INSERT INTO group_members (group_id, user_id) SELECT id, ${userId} FROM groups WHERE name = 'tiny-users'`;
    const first = await enrollee();
    await join(first.user.id);
    expect(outcome(await first.post("create_device", { name: "laptop", pubkey: newDeviceKey() }))).toBe("200 ok");
    const next = await enrollee();
    await join(next.user.id);
    expect(outcome(await next.post("create_device", { name: "laptop", pubkey: newDeviceKey() }))).toBe(`428 ${NETWORK_FULL_MESSAGE(tiny.name)}`);
    const [rows] = await h.sql<{ devices: number }[]>`SELECT count(*)::int AS devices FROM devices WHERE user_id = ${next.user.id}`;
    expect(rows!.devices).toBe(0);
  });
});
