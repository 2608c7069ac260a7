// Desktop-client MFA through dispatch() on a real database and a real SMTP server: TOTP and email codes,
// wrong codes and the end of a session, expired and foreign tokens, a core restart, and every refusal.
import { describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../shared/errors.ts";
import { addDevice, enableCodeMfa, EMAIL_METHOD, errorOf, type FlowHarness, newDeviceKey, otherCode, TOTP_METHOD, totpNow, useFlowHarness } from "../../test/support/flow-harness.ts";
import { addNetwork, addUser, type NetworkSeed } from "./enrollment/test-fixtures.ts";
import { CLIENT_MFA_MESSAGES } from "./client-mfa.ts";
import { createClientMfaTokens } from "./client-mfa-token.ts";

let h: FlowHarness;
useFlowHarness((started) => (h = started));

const failed = (status_code: number, message: string) => ({ status_code, message });
const unauthenticated = (message: string) => failed(GrpcStatus.UNAUTHENTICATED, message);
const wrongCode = (secret: string) => otherCode(totpNow(secret));

interface Setup {
  userId: number;
  email: string;
  secret: string;
  networkId: number;
  pubkey: string;
  deviceId: number;
}

/** A user with TOTP (and optionally email codes) enabled, a device, and an internal-MFA location it is in. */
async function setup(options: { email?: boolean; network?: NetworkSeed; groups?: string[] } = {}): Promise<Setup> {
  const user = await addUser(h.sql, { password_hash: "$argon2id$placeholder", first_name: "Carl" });
  const secret = await enableCodeMfa(h.sql, user.id, options);
  for (const group of options.groups ?? []) {
    await h.sql`INSERT INTO groups (name) VALUES (${group}) ON CONFLICT (name) DO NOTHING`;
    await h.sql`INSERT INTO group_members (group_id, user_id) SELECT id, ${user.id} FROM groups WHERE name = ${group}`;
  }
  const network = await addNetwork(h.sql, { mfa_mode: "internal", ...options.network });
  const device = await addDevice(h.sql, user.id, [network.id]);
  return { userId: user.id, email: `${user.username}@example.com`, secret, networkId: network.id, pubkey: device.pubkey, deviceId: device.id };
}

const start = (s: Setup, method = TOTP_METHOD) => h.call("client_mfa_start", { location_id: s.networkId, pubkey: s.pubkey, method });
const finish = (token: string, code?: string) => h.call("client_mfa_finish", { token, code });
const validate = async (token: string) => (await h.call("client_mfa_token_validation", { token })).client_mfa_token_validation!.token_valid;

async function startedToken(s: Setup, method = TOTP_METHOD): Promise<string> {
  const response = await start(s, method);
  expect(errorOf(response)).toBeUndefined();
  return response.client_mfa_start!.token!;
}

async function authorization(s: Setup) {
  const [row] = await h.sql<{ is_authorized: boolean; authorized: boolean; preshared_key: string | null }[]>`
    SELECT is_authorized, authorized_at IS NOT NULL AS authorized, preshared_key
    FROM network_devices WHERE network_id = ${s.networkId} AND device_id = ${s.deviceId}`;
  return row!;
}

describe("TOTP", () => {
  test("a right code authorizes the device in the location with a fresh preshared key; the session is single-use", async () => {
    const s = await setup();
    const token = await startedToken(s);
    expect(token.split(".")).toHaveLength(3);
    expect(await validate(token)).toBe(true);

    const done = await finish(token, totpNow(s.secret));
    const psk = done.client_mfa_finish!.preshared_key!;
    expect(Buffer.from(psk, "base64")).toHaveLength(32);
    expect(Buffer.from(psk, "base64").toString("base64")).toBe(psk);
    expect(await authorization(s)).toEqual({ is_authorized: true, authorized: true, preshared_key: psk });

    expect(await validate(token)).toBe(false);
    expect(errorOf(await finish(token, totpNow(s.secret)))).toEqual(unauthenticated(CLIENT_MFA_MESSAGES.sessionGone));
    const again = await finish(await startedToken(s), wrongCode(s.secret));
    expect(errorOf(again)).toEqual(unauthenticated("wrong code: 4 attempts left"));
  });

  test("wrong codes are UNAUTHENTICATED and may be retried; the 5th ends the session and blocks the device, the 6th attempt is refused", async () => {
    const s = await setup();
    const token = await startedToken(s);
    const messages = [];
    for (let i = 0; i < 5; i++) messages.push(errorOf(await finish(token, wrongCode(s.secret)))?.message);
    expect(messages).toEqual([
      "wrong code: 4 attempts left",
      "wrong code: 3 attempts left",
      "wrong code: 2 attempts left",
      "wrong code: 1 attempt left",
      "wrong code: too many wrong codes, wait 1 minute before the next try",
    ]);
    expect(errorOf(await finish(token, totpNow(s.secret)))).toEqual(unauthenticated(CLIENT_MFA_MESSAGES.tooManyAttempts));
    expect(await validate(token)).toBe(false);
    expect((await authorization(s)).is_authorized).toBe(false);

    // Starting again does not reset the count: the device waits out its block first.
    expect(errorOf(await start(s))).toEqual(failed(GrpcStatus.RESOURCE_EXHAUSTED, "too many wrong codes: wait 1 minute before trying again"));
    await h.sql`UPDATE client_mfa_throttles SET blocked_until = now() - interval '1 second' WHERE user_id = ${s.userId}`;
    const fresh = await startedToken(s);
    expect(errorOf(await finish(fresh, totpNow(s.secret)))).toBeUndefined();
  });

  test("a code accepted once is not accepted again, and counts as a wrong attempt", async () => {
    const s = await setup();
    const second = await addNetwork(h.sql, { mfa_mode: "internal" });
    await h.sql`INSERT INTO network_devices (network_id, device_id) VALUES (${second.id}, ${s.deviceId})`;
    const code = totpNow(s.secret);
    expect(errorOf(await finish(await startedToken(s), code))).toBeUndefined();
    const other = await h.call("client_mfa_start", { location_id: second.id, pubkey: s.pubkey, method: TOTP_METHOD });
    expect(errorOf(await finish(other.client_mfa_start!.token!, code))).toEqual(
      unauthenticated("this code was already used: wait for the next one (4 attempts left)"),
    );
  });

  test("a new start replaces the device's session for the location; a missing code is INVALID_ARGUMENT and not counted", async () => {
    const s = await setup();
    const first = await startedToken(s);
    await Bun.sleep(1100); // a JWT differs from the last only by its issue second
    const second = await startedToken(s);
    expect(await validate(first)).toBe(false);
    expect(errorOf(await finish(first, totpNow(s.secret)))).toEqual(unauthenticated(CLIENT_MFA_MESSAGES.sessionGone));
    expect(errorOf(await finish(second))).toEqual(failed(GrpcStatus.INVALID_ARGUMENT, CLIENT_MFA_MESSAGES.codeRequired));
    expect(errorOf(await finish(second, "  "))).toEqual(failed(GrpcStatus.INVALID_ARGUMENT, CLIENT_MFA_MESSAGES.codeRequired));
    expect(errorOf(await finish(second, totpNow(s.secret)))).toBeUndefined();
  });

  test("two finishes racing with the right code: one preshared key, the other finds no session", async () => {
    const s = await setup();
    const token = await startedToken(s);
    const code = totpNow(s.secret);
    const results = await Promise.all([finish(token, code), finish(token, code)]);
    expect(results.filter((r) => r.client_mfa_finish).length).toBe(1);
    expect(results.map(errorOf).filter(Boolean)).toEqual([unauthenticated(CLIENT_MFA_MESSAGES.sessionGone)]);
  });
});

describe("tokens", () => {
  test("an expired, tampered or foreign token is refused before any session is looked at", async () => {
    const s = await setup();
    const token = await startedToken(s);
    const claims = { pubkey: s.pubkey, locationId: s.networkId, method: TOTP_METHOD };
    const expired = await h.tokens.signClientMfaToken(claims, -10);
    const foreign = await createClientMfaTokens("another-secret-of-at-least-32-characters").signClientMfaToken(claims);
    const [header, payload, signature] = token.split(".");
    const tampered = `${header}.${payload}x.${signature}`;
    for (const bad of [expired, foreign, tampered, "not-a-jwt", ""]) {
      expect(errorOf(await finish(bad, totpNow(s.secret)))).toEqual(unauthenticated(CLIENT_MFA_MESSAGES.tokenInvalid));
      expect(await validate(bad)).toBe(false);
    }
    expect(errorOf(await finish(token, totpNow(s.secret)))).toBeUndefined();
  });

  test("a session past its 300 s is refused even while its token verifies", async () => {
    const s = await setup();
    const token = await startedToken(s);
    await h.sql`UPDATE client_mfa_sessions SET expires_at = now() - interval '1 second' WHERE device_id = ${s.deviceId}`;
    expect(await validate(token)).toBe(false);
    expect(errorOf(await finish(token, totpNow(s.secret)))).toEqual(unauthenticated(CLIENT_MFA_MESSAGES.sessionExpired));
  });

  test("a core restart between start and finish loses nothing: new handlers on the same database finish it", async () => {
    const s = await setup();
    const token = await startedToken(s);
    expect(errorOf(await finish(token, wrongCode(s.secret)))?.message).toBe("wrong code: 4 attempts left");
    h.restart();
    expect(await validate(token)).toBe(true);
    expect(errorOf(await finish(token, wrongCode(s.secret)))?.message).toBe("wrong code: 3 attempts left");
    expect(errorOf(await finish(token, totpNow(s.secret)))).toBeUndefined();
    expect((await authorization(s)).is_authorized).toBe(true);
  });
});

describe("email codes", () => {
  test("start mails the code; the code from the mail authorizes the device", async () => {
    const s = await setup({ email: true });
    const token = await startedToken(s, EMAIL_METHOD);
    const mail = await h.smtp.waitFor((m) => m.to.includes(s.email) && m.subject === "Defguard: Your VPN sign-in code");
    const code = mail.text.match(/^ {4}(\d{6})$/m)![1]!;
    expect(errorOf(await finish(token, code === "000000" ? "111111" : "000000"))).toEqual(unauthenticated("wrong code: 4 attempts left"));
    const done = await finish(token, code);
    expect(Buffer.from(done.client_mfa_finish!.preshared_key!, "base64")).toHaveLength(32);
    expect((await authorization(s)).is_authorized).toBe(true);
  });
});

describe("client_mfa_start refusals", () => {
  test("location, device, key and method are checked with their own codes", async () => {
    const s = await setup();
    expect(errorOf(await h.call("client_mfa_start", { location_id: 999_999, pubkey: s.pubkey, method: TOTP_METHOD }))).toEqual(
      failed(GrpcStatus.NOT_FOUND, CLIENT_MFA_MESSAGES.locationNotFound),
    );
    expect(errorOf(await h.call("client_mfa_start", { location_id: s.networkId, pubkey: newDeviceKey(), method: TOTP_METHOD }))).toEqual(
      failed(GrpcStatus.NOT_FOUND, CLIENT_MFA_MESSAGES.deviceNotFound),
    );
    expect(errorOf(await h.call("client_mfa_start", { location_id: s.networkId, pubkey: "bad", method: TOTP_METHOD }))).toEqual(
      failed(GrpcStatus.INVALID_ARGUMENT, "invalid public key: expected a WireGuard public key (44 characters of base64, 32 bytes)"),
    );
    expect(errorOf(await start(s, 2))).toEqual(failed(GrpcStatus.INVALID_ARGUMENT, "MFA method OIDC is not supported by this server: use TOTP or email codes"));
    const before = h.logLines.length;
    expect(errorOf(await start(s, EMAIL_METHOD))).toEqual(failed(GrpcStatus.FAILED_PRECONDITION, "selected MFA method not available"));
    expect(h.logLines.slice(before).join("\n")).toContain("refused: email codes not enabled for your account: set it up first or choose another method");
  });

  test("the user must be active and allowed, the device in the location, and the location's MFA internal", async () => {
    const disabled = await setup();
    await h.sql`UPDATE users SET is_active = false WHERE id = ${disabled.userId}`;
    expect(errorOf(await start(disabled))).toEqual(failed(GrpcStatus.PERMISSION_DENIED, CLIENT_MFA_MESSAGES.userDisabled));

    const outsider = await setup({ network: { allowedGroups: ["engineers"] } });
    expect(errorOf(await start(outsider))).toEqual(failed(GrpcStatus.PERMISSION_DENIED, CLIENT_MFA_MESSAGES.notAllowed));
    const member = await setup({ network: { allowedGroups: ["engineers"] }, groups: ["engineers"] });
    expect(errorOf(await start(member))).toBeUndefined();

    const elsewhere = await setup();
    const other = await addNetwork(h.sql, { mfa_mode: "internal" });
    expect(errorOf(await start({ ...elsewhere, networkId: other.id }))).toEqual(failed(GrpcStatus.NOT_FOUND, CLIENT_MFA_MESSAGES.notInLocation));

    const open = await setup({ network: { mfa_mode: "disabled" } });
    expect(errorOf(await start(open))).toEqual(failed(GrpcStatus.FAILED_PRECONDITION, CLIENT_MFA_MESSAGES.mfaDisabled));
    const external = await setup({ network: { mfa_mode: "external" } });
    expect(errorOf(await start(external))).toEqual(failed(GrpcStatus.FAILED_PRECONDITION, CLIENT_MFA_MESSAGES.mfaExternal));
  });

  test("a user disabled between start and finish is refused at finish", async () => {
    const s = await setup();
    const token = await startedToken(s);
    await h.sql`UPDATE users SET is_active = false WHERE id = ${s.userId}`;
    expect(errorOf(await finish(token, totpNow(s.secret)))).toEqual(failed(GrpcStatus.PERMISSION_DENIED, CLIENT_MFA_MESSAGES.userDisabled));
  });
});
