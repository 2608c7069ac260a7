// TOTP and email-code secrets at rest under DEFGUARD_SECRET_KEY, through the flows on a real database: set
// up sealed, used sealed, stored-before-the-key rows read and then sealed at startup, and a missing or
// wrong key refused at startup.
import { describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../shared/errors.ts";
import { createLogger } from "../../shared/logger.ts";
import { addDevice, enableCodeMfa, errorOf, type FlowHarness, TOTP_METHOD, unusedTotpCode, useFlowHarness } from "../../test/support/flow-harness.ts";
import { addNetwork, addToken, addUser } from "../flows/enrollment/test-fixtures.ts";
import { SEALED_PREFIX, SECRET_BOX_MESSAGES } from "./secret-box.ts";
import { prepareSecretsAtRest } from "./secrets-at-rest.ts";

const KEY = "secrets-at-rest-test-key-0123456789abcdef";

let h: FlowHarness;
useFlowHarness((started) => (h = started), { env: { DEFGUARD_SECRET_KEY: KEY } });

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: "info", format: "text", target: "test::db", write: (l) => lines.push(l) }) };
}

/** `name: message` of what `pending` rejects with. */
async function refusal(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
    return "resolved";
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

const storedSecrets = async (userId: number) =>
  (await h.sql<{ totp: string | null; email: string | null }[]>`SELECT totp_secret AS totp, email_mfa_secret AS email FROM users WHERE id = ${userId}`)[0]!;

/** Desktop-client MFA with the user's current TOTP code: the device gets its preshared key. */
async function connects(userId: number, secret: string): Promise<boolean> {
  const network = await addNetwork(h.sql, { mfa_mode: "internal" });
  const device = await addDevice(h.sql, userId, [network.id]);
  const started = await h.call("client_mfa_start", { location_id: network.id, pubkey: device.pubkey, method: TOTP_METHOD });
  expect(errorOf(started)).toBeUndefined();
  const done = await h.call("client_mfa_finish", { token: started.client_mfa_start!.token, code: await unusedTotpCode(h.sql, userId, secret) });
  return errorOf(done) === undefined && Boolean(done.client_mfa_finish?.preshared_key);
}

describe("MFA secrets at rest", () => {
  test("without a key: a warning at startup, nothing refused", async () => {
    const { lines, log } = capture();
    await prepareSecretsAtRest(h.sql, {}, log);
    expect(lines.some((l) => l.includes("WARN") && l.includes("DEFGUARD_SECRET_KEY is not set: TOTP and email-code secrets are stored in plaintext"))).toBe(true);
  });

  test("TOTP set up in enrollment is stored sealed, and desktop-client MFA works with it", async () => {
    const user = await addUser(h.sql, { first_name: "Sam" });
    const token = await addToken(h.sql, user.id);
    expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
    const secret = (await h.call("code_mfa_setup_start", { token, method: TOTP_METHOD })).code_mfa_setup_start_response!.totp_secret!;
    const stored = (await storedSecrets(user.id)).totp!;
    expect(stored.startsWith(SEALED_PREFIX)).toBe(true);
    expect(stored).not.toContain(secret);
    const finished = await h.call("code_mfa_setup_finish", { token, method: TOTP_METHOD, code: await unusedTotpCode(h.sql, user.id, secret) });
    expect(finished.code_mfa_setup_finish_response!.recovery_codes).toHaveLength(8);
    expect(await connects(user.id, secret)).toBe(true);
  });

  test("secrets stored before the key are read as they are, then sealed at startup; a missing or wrong key stops startup", async () => {
    const user = await addUser(h.sql, { first_name: "Pat" });
    const secret = await enableCodeMfa(h.sql, user.id, { email: true });
    expect((await storedSecrets(user.id)).totp).toBe(secret);
    expect(await connects(user.id, secret)).toBe(true);

    const { lines, log } = capture();
    await prepareSecretsAtRest(h.sql, h.config, log);
    const sealed = await storedSecrets(user.id);
    expect([sealed.totp!.startsWith(SEALED_PREFIX), sealed.email!.startsWith(SEALED_PREFIX)]).toEqual([true, true]);
    expect(lines.some((l) => /Encrypted \d+ MFA secret\(s\) stored before DEFGUARD_SECRET_KEY was set/.test(l))).toBe(true);
    expect(await connects(user.id, secret)).toBe(true);

    expect(await refusal(prepareSecretsAtRest(h.sql, {}, log))).toBe(`SecretKeyError: DEFGUARD_SECRET_KEY: ${SECRET_BOX_MESSAGES.noKey}`);
    expect(await refusal(prepareSecretsAtRest(h.sql, { secretKey: `${KEY}-another` }, log))).toBe(`SecretKeyError: DEFGUARD_SECRET_KEY: ${SECRET_BOX_MESSAGES.cannotOpen}`);
  });

  test("a sealed secret copied to another user's row does not open there", async () => {
    const owner = await addUser(h.sql, { first_name: "Ann" });
    const token = await addToken(h.sql, owner.id);
    await h.call("enrollment_start", { token });
    await h.call("code_mfa_setup_start", { token, method: TOTP_METHOD });
    const thief = await addUser(h.sql, { first_name: "Tom" });
    await h.sql`UPDATE users SET mfa_enabled = true, totp_enabled = true, totp_secret = (SELECT totp_secret FROM users WHERE id = ${owner.id}) WHERE id = ${thief.id}`;
    const network = await addNetwork(h.sql, { mfa_mode: "internal" });
    const device = await addDevice(h.sql, thief.id, [network.id]);
    const started = await h.call("client_mfa_start", { location_id: network.id, pubkey: device.pubkey, method: TOTP_METHOD });
    // INTERNAL: the Proxy answers a generic 500, the reason stays in the Core's log.
    expect(errorOf(started)).toEqual({ status_code: GrpcStatus.INTERNAL, message: SECRET_BOX_MESSAGES.cannotOpen });
  });
});
