// The flows of this issue on the embedded PGlite (one connection, so a transaction that used the shared
// client instead of its own would wait on itself forever): password reset, MFA setup, desktop-client MFA
// and polling, each once from start to end.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Secret, TOTP } from "otpauth";
import { createFlowHarness, errorOf, type FlowHarness, newDeviceKey, unusedTotpCode } from "../../test/support/flow-harness.ts";
import { hashPassword } from "../users/passwords.ts";
import { addNetwork, addToken, addUser } from "./enrollment/test-fixtures.ts";

let h: FlowHarness;

beforeAll(async () => {
  h = await createFlowHarness({ embedded: true });
}, 60_000);

afterAll(async () => {
  await h?.close();
}, 60_000);

test("password reset from request to new password", async () => {
  const user = await addUser(h.sql, { password_hash: await hashPassword("0ld-Password!") });
  const email = `${user.username}@example.com`;
  await h.call("password_reset_init", { email });
  const mail = await h.smtp.waitFor((m) => m.to.includes(email));
  const token = mail.text.match(/token=([A-Za-z0-9]{32})/)![1]!;
  expect(errorOf(await h.call("password_reset_start", { token }))).toBeUndefined();
  expect(errorOf(await h.call("password_reset", { token, password: "N3w-Password!" }))).toBeUndefined();
  const [row] = await h.sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE id = ${user.id}`;
  expect(await Bun.password.verify("N3w-Password!", row!.password_hash)).toBe(true);
}, 30_000);

test("enrollment with TOTP, then desktop-client MFA and polling", async () => {
  const network = await addNetwork(h.sql, { mfa_mode: "internal" });
  const user = await addUser(h.sql);
  const token = await addToken(h.sql, user.id);
  await h.call("enrollment_start", { token });
  const pubkey = newDeviceKey();
  const device = (await h.call("new_device", { token, name: "pc", pubkey })).device_config!;
  const secret = (await h.call("code_mfa_setup_start", { method: 0, token })).code_mfa_setup_start_response!.totp_secret!;
  const finished = await h.call("code_mfa_setup_finish", { method: 0, token, code: new TOTP({ secret: Secret.fromBase32(secret) }).generate() });
  expect(finished.code_mfa_setup_finish_response!.recovery_codes).toHaveLength(8);

  const mfaToken = (await h.call("client_mfa_start", { location_id: network.id, pubkey, method: 0 })).client_mfa_start!.token!;
  expect(errorOf(await h.call("client_mfa_finish", { token: mfaToken, code: "00000a" }))?.message).toBe("wrong code: 4 attempts left");
  const done = await h.call("client_mfa_finish", { token: mfaToken, code: await unusedTotpCode(h.sql, user.id, secret) });
  expect(done.client_mfa_finish!.preshared_key).toHaveLength(44);

  const polled = await h.call("instance_info", { token: device.token });
  expect(polled.instance_info!.device_config!.device!.pubkey).toBe(pubkey);
}, 60_000);
