// MFA set up during enrollment through dispatch() on a real database and a real SMTP server: TOTP with codes
// computed by `otpauth`, email codes read from the mail, recovery codes, and every refusal.
import { describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../shared/errors.ts";
import { EMAIL_METHOD, errorOf, type FlowHarness, otherCode, TOTP_METHOD, totpNow, useFlowHarness } from "../../test/support/flow-harness.ts";
import { hashRecoveryCode } from "../mfa/recovery-codes.ts";
import { hashToken } from "../tokens.ts";
import { addToken, addUser } from "./enrollment/test-fixtures.ts";
import { SESSION_MESSAGES } from "./enrollment.ts";
import { MFA_SETUP_MESSAGES } from "./mfa-setup.ts";

let h: FlowHarness;
useFlowHarness((started) => (h = started));

const failed = (status_code: number, message: string) => ({ status_code, message });

/** A new user with an open enrollment session. */
async function enrolling() {
  const user = await addUser(h.sql, { first_name: "Mia" });
  const token = await addToken(h.sql, user.id);
  expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
  return { ...user, email: `${user.username}@example.com`, token };
}

async function mfaColumns(userId: number) {
  const [row] = await h.sql<{ mfa_enabled: boolean; totp_enabled: boolean; email_mfa_enabled: boolean; totp_secret: string | null; recovery_codes: string[] }[]>`
    SELECT mfa_enabled, totp_enabled, email_mfa_enabled, totp_secret, recovery_codes FROM users WHERE id = ${userId}`;
  return row!;
}

async function mailedCode(email: string, count = 1): Promise<string> {
  const mails = await h.smtp.waitForCount(count, (m) => m.to.includes(email) && m.subject === "Defguard: Confirm email sign-in codes");
  return mails[count - 1]!.text.match(/^ {4}(\d{6})$/m)![1]!;
}

describe("TOTP", () => {
  test("start answers a new base32 secret, stored but not enabled; a right code enables it and answers 8 recovery codes", async () => {
    const user = await enrolling();
    const started = await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token });
    const secret = started.code_mfa_setup_start_response!.totp_secret!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await mfaColumns(user.id)).toMatchObject({ totp_secret: secret, totp_enabled: false, mfa_enabled: false });

    const finished = await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code: totpNow(secret) });
    const codes = finished.code_mfa_setup_finish_response!.recovery_codes!;
    expect(codes).toHaveLength(8);
    const stored = await mfaColumns(user.id);
    expect(stored).toMatchObject({ totp_enabled: true, mfa_enabled: true, email_mfa_enabled: false });
    expect(stored.recovery_codes).toEqual(codes.map(hashRecoveryCode));
  });

  test("a wrong code is INVALID_ARGUMENT and changes nothing; a used code is refused the second time", async () => {
    const user = await enrolling();
    const secret = (await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token })).code_mfa_setup_start_response!.totp_secret!;
    const wrong = otherCode(totpNow(secret));
    for (const code of [wrong, "12345", "abcdef", ""]) {
      expect(errorOf(await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code }))).toEqual(
        failed(GrpcStatus.INVALID_ARGUMENT, MFA_SETUP_MESSAGES.wrongTotpCode),
      );
    }
    expect(await mfaColumns(user.id)).toMatchObject({ totp_enabled: false, mfa_enabled: false, recovery_codes: [] });

    // The replay guard: a code accepted once is not accepted again (here after the method was reset).
    const code = totpNow(secret);
    expect(errorOf(await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code }))).toBeUndefined();
    await h.sql`UPDATE users SET totp_enabled = false WHERE id = ${user.id}`;
    expect(errorOf(await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code }))).toEqual(
      failed(GrpcStatus.INVALID_ARGUMENT, MFA_SETUP_MESSAGES.reusedCode),
    );
  });

  test("an enabled method is not set up again; finishing before starting is refused", async () => {
    const user = await enrolling();
    expect(errorOf(await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code: "123456" }))).toEqual(
      failed(GrpcStatus.FAILED_PRECONDITION, MFA_SETUP_MESSAGES.notStarted("totp")),
    );
    const secret = (await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token })).code_mfa_setup_start_response!.totp_secret!;
    await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code: totpNow(secret) });
    const enabled = failed(GrpcStatus.FAILED_PRECONDITION, "TOTP already enabled for your account");
    expect(errorOf(await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token }))).toEqual(enabled);
    expect(errorOf(await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code: totpNow(secret) }))).toEqual(enabled);
    expect((await mfaColumns(user.id)).totp_secret).toBe(secret);
  });
});

describe("email codes", () => {
  test("start mails an activation code (once per minute); the code enables the method and answers recovery codes", async () => {
    const user = await enrolling();
    const step = () => Math.floor(Date.now() / 60_000);
    const stepBefore = step();
    expect(await h.call("code_mfa_setup_start", { method: EMAIL_METHOD, token: user.token })).toMatchObject({ code_mfa_setup_start_response: {} });
    expect(await h.call("code_mfa_setup_start", { method: EMAIL_METHOD, token: user.token })).toMatchObject({ code_mfa_setup_start_response: {} });
    const code = await mailedCode(user.email);
    const mails = () => h.smtp.messages.filter((m) => m.to.includes(user.email)).length;
    if (step() === stepBefore) {
      // The second start, in the same step, queued nothing: the outbox has one row.
      const [queued] = await h.sql<{ n: number }[]>`SELECT count(*) AS n FROM mail_outbox WHERE recipient = ${user.email}`;
      expect(queued!.n).toBe(1);
      expect(mails()).toBe(1);
    }
    const finished = await h.call("code_mfa_setup_finish", { method: EMAIL_METHOD, token: user.token, code });
    expect(finished.code_mfa_setup_finish_response!.recovery_codes).toHaveLength(8);
    expect(await mfaColumns(user.id)).toMatchObject({ email_mfa_enabled: true, mfa_enabled: true, totp_enabled: false });
  });

  test("a wrong code is INVALID_ARGUMENT; a second method answers no new recovery codes (they were shown once)", async () => {
    const user = await enrolling();
    const secret = (await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token })).code_mfa_setup_start_response!.totp_secret!;
    const first = await h.call("code_mfa_setup_finish", { method: TOTP_METHOD, token: user.token, code: totpNow(secret) });
    const codes = first.code_mfa_setup_finish_response!.recovery_codes!;

    await h.call("code_mfa_setup_start", { method: EMAIL_METHOD, token: user.token });
    const code = await mailedCode(user.email);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(errorOf(await h.call("code_mfa_setup_finish", { method: EMAIL_METHOD, token: user.token, code: wrong }))).toEqual(
      failed(GrpcStatus.INVALID_ARGUMENT, MFA_SETUP_MESSAGES.wrongEmailCode),
    );
    const second = await h.call("code_mfa_setup_finish", { method: EMAIL_METHOD, token: user.token, code });
    expect(second.code_mfa_setup_finish_response).toEqual({ recovery_codes: [] });
    expect((await mfaColumns(user.id)).recovery_codes).toEqual(codes.map(hashRecoveryCode));
  });
});

describe("sessions and methods", () => {
  test("the enrollment session's rules apply; after activate_user the session still runs until its deadline", async () => {
    expect(errorOf(await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: "" }))).toEqual(failed(GrpcStatus.UNAUTHENTICATED, SESSION_MESSAGES.tokenMissing));
    const fresh = await addUser(h.sql);
    const notStarted = await addToken(h.sql, fresh.id);
    expect(errorOf(await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: notStarted }))).toEqual(
      failed(GrpcStatus.UNAUTHENTICATED, SESSION_MESSAGES.sessionNotStarted),
    );
    const resetToken = await addToken(h.sql, fresh.id, { kind: "PASSWORD_RESET" });
    expect(errorOf(await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: resetToken }))).toEqual(
      failed(GrpcStatus.UNAUTHENTICATED, SESSION_MESSAGES.tokenInvalid),
    );

    const user = await enrolling();
    expect(errorOf(await h.call("activate_user", { token: user.token, password: "Acc3pted-pass!" }))).toBeUndefined();
    const started = await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token });
    expect(started.code_mfa_setup_start_response!.totp_secret).toMatch(/^[A-Z2-7]{32}$/);

    await h.sql`UPDATE tokens SET session_deadline = now() - interval '1 second' WHERE token_hash = ${hashToken(user.token)}`;
    expect(errorOf(await h.call("code_mfa_setup_start", { method: TOTP_METHOD, token: user.token }))).toEqual(
      failed(GrpcStatus.UNAUTHENTICATED, SESSION_MESSAGES.sessionExpired),
    );
  });

  test("methods other than TOTP and email are INVALID_ARGUMENT", async () => {
    const user = await enrolling();
    expect(errorOf(await h.call("code_mfa_setup_start", { method: 2, token: user.token }))).toEqual(
      failed(GrpcStatus.INVALID_ARGUMENT, "MFA method OIDC is not supported by this server: use TOTP or email codes"),
    );
    expect(errorOf(await h.call("code_mfa_setup_finish", { method: 4, token: user.token, code: "123456" }))).toEqual(
      failed(GrpcStatus.INVALID_ARGUMENT, "MFA method MOBILE_APPROVE is not supported by this server: use TOTP or email codes"),
    );
  });
});

describe("without SMTP", () => {
  let bare: FlowHarness;
  useFlowHarness((started) => (bare = started), { smtp: false });

  test("email setup is FAILED_PRECONDITION naming the missing mail; TOTP still works", async () => {
    const user = await addUser(bare.sql);
    const token = await addToken(bare.sql, user.id);
    await bare.call("enrollment_start", { token });
    expect(errorOf(await bare.call("code_mfa_setup_start", { method: EMAIL_METHOD, token }))).toEqual(
      failed(GrpcStatus.FAILED_PRECONDITION, MFA_SETUP_MESSAGES.mailUnavailable),
    );
    expect(errorOf(await bare.call("code_mfa_setup_start", { method: TOTP_METHOD, token }))).toBeUndefined();
  });
});
