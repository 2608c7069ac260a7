// MFA end to end: the Proxy's HTTP routes, real gRPC to the Core's flows, PostgreSQL and a real SMTP server.
// Enrollment with TOTP (codes computed by `otpauth`) and with email codes, then desktop-client MFA with
// both, wrong codes up to the end of a session, an expired token, and a core restart in the middle.
import { describe, expect, test } from "bun:test";
import { type TOTP, URI } from "otpauth";
import { CLIENT_MFA_MESSAGES } from "../core/flows/client-mfa.ts";
import { addNetwork, addToken, addUser } from "../core/flows/enrollment/test-fixtures.ts";
import { MFA_SETUP_MESSAGES, totpUri } from "../core/flows/mfa-setup.ts";
import { newCodeSecret } from "../core/mfa/one-time-codes.ts";
import { addDevice, type FlowHarness, newDeviceKey, otherCode, totpNow, unusedTotpCode, useFlowsBehindProxy } from "./support/flow-harness.ts";
import type { TestProxy } from "./support/in-process-proxy.ts";
import { ProxyClient } from "./support/proxy-client.ts";

const PASSWORD = "Str0ng-enough!";

let h: FlowHarness;
let proxy: TestProxy;
let locationId: number;

useFlowsBehindProxy(async (started) => {
  ({ h, proxy } = started);
  locationId = (await addNetwork(h.sql, { name: "hq", mfa_mode: "internal", address: ["10.50.0.1/24"], allowed_ips: ["10.50.0.0/24"] })).id;
});

/** The code of the newest mail to `email` with `subject`, the `count`-th such mail. */
async function mailedCode(email: string, subject: string, count = 1): Promise<string> {
  const mails = await h.smtp.waitForCount(count, (m) => m.to.includes(email) && m.subject === subject);
  return mails[count - 1]!.text.match(/^ {4}(\d{6})$/m)![1]!;
}

/** A new user's browser with an open enrollment session and one registered device. */
async function enrollWithDevice() {
  const user = await addUser(h.sql, { first_name: "Eve" });
  const browser = new ProxyClient(proxy.url);
  expect((await browser.post("/api/v1/enrollment/start", { token: await addToken(h.sql, user.id) })).status).toBe(200);
  const pubkey = newDeviceKey();
  const device = await browser.post("/api/v1/enrollment/create_device", { name: "laptop", pubkey });
  expect(device.status).toBe(200);
  return { user, email: `${user.username}@example.com`, browser, pubkey };
}

describe("enrollment with MFA over the Proxy", () => {
  let totpUser: Awaited<ReturnType<typeof enrollWithDevice>> & { secret: string };
  let emailUser: Awaited<ReturnType<typeof enrollWithDevice>>;

  test("TOTP: the secret's otpauth URI, a wrong code (400), then the right one enables it with 8 recovery codes", async () => {
    const e = await enrollWithDevice();
    const started = await e.browser.post("/api/v1/enrollment/register-mfa/code/start", { method: "Totp" });
    expect(started.status).toBe(200);
    const secret = started.body.totp_secret as string;
    const uri = URI.parse(totpUri(secret, "Defguard", e.user.username)) as TOTP;
    expect([uri.issuer, uri.label, uri.secret.base32]).toEqual(["Defguard", e.user.username, secret]);

    const wrong = await e.browser.post("/api/v1/enrollment/register-mfa/code/finish", { method: "Totp", code: otherCode(totpNow(secret)) });
    expect(wrong).toMatchObject({ status: 400, body: { error: MFA_SETUP_MESSAGES.wrongTotpCode } });
    const finished = await e.browser.post("/api/v1/enrollment/register-mfa/code/finish", { method: "Totp", code: totpNow(secret) });
    expect(finished.status).toBe(200);
    expect(finished.body.recovery_codes).toHaveLength(8);
    expect((await e.browser.post("/api/v1/enrollment/activate_user", { password: PASSWORD })).status).toBe(200);
    totpUser = { ...e, secret };
  });

  test("email: the activation code from the mail enables email codes", async () => {
    const e = await enrollWithDevice();
    expect(await e.browser.post("/api/v1/enrollment/register-mfa/code/start", { method: "Email" })).toMatchObject({ status: 200, body: { totp_secret: null } });
    const code = await mailedCode(e.email, "Defguard: Confirm email sign-in codes");
    const finished = await e.browser.post("/api/v1/enrollment/register-mfa/code/finish", { method: "Email", code });
    expect(finished.status).toBe(200);
    expect(finished.body.recovery_codes).toHaveLength(8);
    expect((await e.browser.post("/api/v1/enrollment/activate_user", { password: PASSWORD })).status).toBe(200);
    emailUser = e;
  });

  test("without the enrollment cookie, MFA setup is 401", async () => {
    const stranger = new ProxyClient(proxy.url);
    expect(await stranger.post("/api/v1/enrollment/register-mfa/code/start", { method: "Totp" })).toMatchObject({
      status: 401,
      body: { error: "missing enrollment token: open the enrollment link you received" },
    });
  });

  describe("desktop-client MFA for the enrolled devices", () => {
    const client = () => new ProxyClient(proxy.url);
    const start = (pubkey: string, method: number) => client().post("/api/v1/client-mfa/start", { location_id: locationId, pubkey, method });
    const finish = (token: string, code: string) => client().post("/api/v1/client-mfa/finish", { token, code });

    test("TOTP: 401 for each wrong code, the 5th blocks the device (429 for a minute), then a new session after the block", async () => {
      const started = await start(totpUser.pubkey, 0);
      expect(started.status).toBe(200);
      expect(started.body).toEqual({ token: expect.any(String), challenge: null });
      const token = started.body.token as string;
      const left = ["4 attempts", "3 attempts", "2 attempts", "1 attempt"];
      for (const n of left) expect(await finish(token, otherCode(totpNow(totpUser.secret)))).toMatchObject({ status: 401, body: { error: `wrong code: ${n} left` } });
      expect(await finish(token, otherCode(totpNow(totpUser.secret)))).toMatchObject({
        status: 401,
        body: { error: "wrong code: too many wrong codes, wait 1 minute before the next try" },
      });
      expect(await finish(token, totpNow(totpUser.secret))).toMatchObject({ status: 401, body: { error: CLIENT_MFA_MESSAGES.tooManyAttempts } });
      expect(await start(totpUser.pubkey, 0)).toMatchObject({ status: 429, body: { error: "too many wrong codes: wait 1 minute before trying again" } });

      // The minute passes.
      await h.sql`UPDATE client_mfa_throttles SET blocked_until = now() - interval '1 second' WHERE user_id = ${totpUser.user.id}`;
      const fresh = (await start(totpUser.pubkey, 0)).body.token as string;
      // Setting TOTP up spent a code; the client sends the next one the app shows.
      const done = await finish(fresh, await unusedTotpCode(h.sql, totpUser.user.id, totpUser.secret));
      expect(done.status).toBe(200);
      expect(done.body).toEqual({ preshared_key: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), token: null });
    });

    test("email: the code from the mail authorizes the device; an unset method is 428", async () => {
      expect(await start(emailUser.pubkey, 0)).toMatchObject({
        status: 428,
        body: { error: "selected MFA method not available" },
      });
      const started = await start(emailUser.pubkey, 1);
      expect(started.status).toBe(200);
      const code = await mailedCode(emailUser.email, "Defguard: Your VPN sign-in code");
      const done = await finish(started.body.token, code);
      expect(done.status).toBe(200);
      const [row] = await h.sql<{ is_authorized: boolean; preshared_key: string }[]>`
        SELECT nd.is_authorized, nd.preshared_key FROM network_devices nd JOIN devices d ON d.id = nd.device_id
        WHERE d.pubkey = ${emailUser.pubkey} AND nd.network_id = ${locationId}`;
      expect(row).toEqual({ is_authorized: true, preshared_key: done.body.preshared_key });
    });

    test("an expired token is 401; an unknown location 404; an OIDC request 400", async () => {
      const expired = await h.tokens.signClientMfaToken({ pubkey: totpUser.pubkey, locationId, method: 0 }, -60);
      expect(await finish(expired, totpNow(totpUser.secret))).toMatchObject({ status: 401, body: { error: CLIENT_MFA_MESSAGES.tokenInvalid } });
      expect(await client().post("/api/v1/client-mfa/start", { location_id: 987654, pubkey: totpUser.pubkey, method: 0 })).toMatchObject({
        status: 404,
        body: { error: CLIENT_MFA_MESSAGES.locationNotFound },
      });
      expect(await start(totpUser.pubkey, 2)).toMatchObject({ status: 400, body: { error: "MFA method OIDC is not supported by this server: use TOTP or email codes" } });
    });

    test("a core restart between start and finish: the new core finishes the session", async () => {
      const user = await addUser(h.sql);
      const secret = newCodeSecret();
      await h.sql`UPDATE users SET mfa_enabled = true, totp_enabled = true, totp_secret = ${secret} WHERE id = ${user.id}`;
      const device = await addDevice(h.sql, user.id, [locationId]);
      const token = (await start(device.pubkey, 0)).body.token as string;
      expect(await finish(token, otherCode(totpNow(secret)))).toMatchObject({ status: 401, body: { error: "wrong code: 4 attempts left" } });

      await h.stopLinks();
      expect((await finish(token, totpNow(secret))).status).toBe(503);
      h.restart();
      await h.link(proxy.target);
      expect(await finish(token, otherCode(totpNow(secret)))).toMatchObject({ status: 401, body: { error: "wrong code: 3 attempts left" } });
      const done = await finish(token, totpNow(secret));
      expect(done.status).toBe(200);
      expect(done.body.preshared_key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    });
  });
});
