// The enrollment flow through dispatch() on a real database: session rules, activation, and the whole
// happy path on PostgreSQL and on the embedded PGlite.
import { describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../shared/errors.ts";
import { createEmbeddedTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { hashToken } from "../tokens.ts";
import { ALREADY_ACTIVATED_MESSAGE, PHONE_NUMBER_MESSAGE, SESSION_MESSAGES } from "./enrollment.ts";
import { runHappyPath } from "./enrollment/happy-path-scenario.ts";
import { ENROLLED_PASSWORD_HASH, addToken, addUser, errorOf, newDeviceKey, type Harness, useEnrollmentHarness } from "./enrollment/test-fixtures.ts";

/** Starting PGlite (WASM) takes seconds on a busy 2-core machine; the default 5 s bound is too tight. */
const EMBEDDED_TIMEOUT_MS = 60_000;

let db: TestDatabase;
let h: Harness;
useEnrollmentHarness((started) => ({ db, h } = started));

const unauthenticated = (message: string) => ({ status_code: GrpcStatus.UNAUTHENTICATED, message });
const invalid = (message: string) => ({ status_code: GrpcStatus.INVALID_ARGUMENT, message });

async function freshEnrollment(seed: Parameters<typeof addUser>[1] = {}) {
  const admin = await addUser(db.sql, { first_name: "Ada", last_name: "Admin", admin: true });
  const user = await addUser(db.sql, seed);
  const token = await addToken(db.sql, user.id, { adminId: admin.id });
  return { admin, user, token };
}

describe("enrollment happy path", () => {
  test("PostgreSQL or the default test database: start, same deadline, device, activate, password verifies", async () => {
    await runHappyPath(db.sql);
  });

  test("embedded PGlite: the same flow", async () => {
    const embedded = await createEmbeddedTestDatabase();
    try {
      await runHappyPath(embedded.sql);
    } finally {
      await embedded.cleanup();
    }
  }, EMBEDDED_TIMEOUT_MS);
});

describe("enrollment_start", () => {
  test("a missing token, a malformed one and an unknown one are UNAUTHENTICATED", async () => {
    expect(errorOf(await h.call("enrollment_start", { token: "" }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenMissing));
    expect(errorOf(await h.call("enrollment_start", { token: "not-a-token" }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenInvalid));
    expect(errorOf(await h.call("enrollment_start", { token: "A".repeat(32) }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenInvalid));
  });

  test("a password-reset token cannot start enrollment", async () => {
    const user = await addUser(db.sql);
    const token = await addToken(db.sql, user.id, { kind: "PASSWORD_RESET" });
    expect(errorOf(await h.call("enrollment_start", { token }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenInvalid));
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenInvalid));
  });

  test("a token past expires_at, or older than DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT, has expired", async () => {
    const { token } = await freshEnrollment();
    await db.sql`UPDATE tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(token)}`;
    expect(errorOf(await h.call("enrollment_start", { token }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenExpired));

    const second = await freshEnrollment();
    await db.sql`UPDATE tokens SET created_at = now() - interval '25 hours' WHERE token_hash = ${hashToken(second.token)}`;
    expect(errorOf(await h.call("enrollment_start", { token: second.token }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenExpired));
  });

  test("a refused start opens no session: expired, spent or password-reset token, disabled account", async () => {
    const expired = await freshEnrollment();
    await db.sql`UPDATE tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(expired.token)}`;
    const spent = await freshEnrollment();
    await db.sql`UPDATE tokens SET used_at = now() WHERE token_hash = ${hashToken(spent.token)}`;
    const disabled = await freshEnrollment({ is_active: false });
    const resetUser = await addUser(db.sql);
    const reset = await addToken(db.sql, resetUser.id, { kind: "PASSWORD_RESET" });
    for (const token of [expired.token, spent.token, disabled.token, reset]) {
      expect(errorOf(await h.call("enrollment_start", { token }))).toBeDefined();
      const [row] = await db.sql`SELECT session_deadline FROM tokens WHERE token_hash = ${hashToken(token)}`;
      expect(row!.session_deadline).toBeNull();
    }
  });

  test("a session opened before the token's expiry outlives it; once the session ends it is UNAUTHENTICATED", async () => {
    const { token } = await freshEnrollment();
    const started = await h.call("enrollment_start", { token });
    expect(errorOf(started)).toBeUndefined();
    await db.sql`UPDATE tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(token)}`;
    const again = await h.call("enrollment_start", { token });
    expect(again.enrollment_start?.deadline_timestamp).toBe(started.enrollment_start!.deadline_timestamp);

    await db.sql`UPDATE tokens SET session_deadline = now() - interval '1 second' WHERE token_hash = ${hashToken(token)}`;
    expect(errorOf(await h.call("enrollment_start", { token }))).toEqual(unauthenticated(SESSION_MESSAGES.sessionExpired));
    expect(errorOf(await h.call("new_device", { token, name: "laptop", pubkey: newDeviceKey() }))).toEqual(unauthenticated(SESSION_MESSAGES.sessionExpired));
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toEqual(unauthenticated(SESSION_MESSAGES.sessionExpired));
  });

  test("the session lasts DEFGUARD_ENROLLMENT_SESSION_TIMEOUT from first use, in whole seconds", async () => {
    const { token } = await freshEnrollment();
    const response = await h.call("enrollment_start", { token });
    const [row] = await db.sql<{ now: number }[]>`SELECT extract(epoch FROM now())::float8 AS now`;
    const deadline = response.enrollment_start!.deadline_timestamp as number;
    expect(Number.isInteger(deadline)).toBe(true);
    expect(deadline).toBeGreaterThan(row!.now + h.config.timeouts.enrollmentSessionS - 60);
    expect(deadline).toBeLessThanOrEqual(row!.now + h.config.timeouts.enrollmentSessionS);
  });

  test("concurrent first uses agree on one deadline", async () => {
    const { token } = await freshEnrollment();
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.call("enrollment_start", { token })));
    expect(new Set(answers.map((a) => a.enrollment_start?.deadline_timestamp)).size).toBe(1);
  });

  test("a disabled account is PERMISSION_DENIED", async () => {
    const { token } = await freshEnrollment({ is_active: false });
    expect(errorOf(await h.call("enrollment_start", { token }))).toEqual({ status_code: GrpcStatus.PERMISSION_DENIED, message: SESSION_MESSAGES.userDisabled });
  });

  test("without an issuing admin the first member of admin is named; the welcome message fills in the names", async () => {
    const user = await addUser(db.sql, { first_name: "Bob", last_name: "Jones" });
    const token = await addToken(db.sql, user.id, { adminId: null });
    await db.sql`UPDATE settings SET enrollment_welcome_message = ${"Hi {first_name} {last_name} ({username}), {first_name}!"} WHERE id = 1`;
    try {
      const response = await h.call("enrollment_start", { token });
      expect(response.enrollment_start?.admin?.name).toBeString();
      expect(response.enrollment_start?.final_page_content).toBe(`Hi Bob Jones (${user.username}), Bob!`);
    } finally {
      await db.sql`UPDATE settings SET enrollment_welcome_message = DEFAULT WHERE id = 1`;
    }
  });
});

describe("activate_user", () => {
  test("needs a token and an open session", async () => {
    expect(errorOf(await h.call("activate_user", { password: "Passw0rd!" }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenMissing));
    const { token } = await freshEnrollment();
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toEqual(unauthenticated(SESSION_MESSAGES.sessionNotStarted));
  });

  test("refuses each weak password with the rule it breaks, and changes nothing", async () => {
    const { user, token } = await freshEnrollment();
    await h.call("enrollment_start", { token });
    const cases: Array<[string, string]> = [
      ["aA1!", "password must be at least 8 characters long"],
      ["aA1!" + "b".repeat(125), "password must be at most 128 characters long"],
      ["PASSW0RD!", "password must contain a lowercase letter (a-z)"],
      ["passw0rd!", "password must contain an uppercase letter (A-Z)"],
      ["Password!", "password must contain a digit (0-9)"],
      ["Passw0rdd", "password must contain a special character such as ! ? # $ % & * - _"],
    ];
    for (const [password, message] of cases) expect(errorOf(await h.call("activate_user", { token, password }))).toEqual(invalid(message));
    const [row] = await db.sql`SELECT password_hash FROM users WHERE id = ${user.id}`;
    expect(row!.password_hash).toBeNull();
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toBeUndefined();
  });

  test("refuses a malformed phone number; a blank one keeps the stored phone", async () => {
    const { user, token } = await freshEnrollment({ phone: "+48 600 100 200" });
    await h.call("enrollment_start", { token });
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!", phone_number: "call me" }))).toEqual(invalid(PHONE_NUMBER_MESSAGE));
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!", phone_number: " " }))).toBeUndefined();
    const [row] = await db.sql`SELECT phone FROM users WHERE id = ${user.id}`;
    expect(row!.phone).toBe("+48 600 100 200");
  });

  test("a user who already has a password is FAILED_PRECONDITION (desktop-client token)", async () => {
    const { token } = await freshEnrollment({ password_hash: ENROLLED_PASSWORD_HASH });
    expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toEqual({
      status_code: GrpcStatus.FAILED_PRECONDITION,
      message: ALREADY_ACTIVATED_MESSAGE,
    });
  });

  test("spends the token: every later use is UNAUTHENTICATED", async () => {
    const { token } = await freshEnrollment();
    await h.call("enrollment_start", { token });
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toBeUndefined();
    expect(errorOf(await h.call("activate_user", { token, password: "Passw0rd!" }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenUsed));
    expect(errorOf(await h.call("enrollment_start", { token }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenUsed));
    expect(errorOf(await h.call("new_device", { token, name: "late", pubkey: newDeviceKey() }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenUsed));
  });

  test("two activations at once: exactly one succeeds", async () => {
    const { token } = await freshEnrollment();
    await h.call("enrollment_start", { token });
    const answers = await Promise.all([1, 2, 3].map(() => h.call("activate_user", { token, password: "Passw0rd!" })));
    expect(answers.filter((a) => a.empty).length).toBe(1);
    for (const a of answers.filter((a) => !a.empty)) expect(a.core_error?.status_code).toBeOneOf([GrpcStatus.UNAUTHENTICATED, GrpcStatus.FAILED_PRECONDITION]);
  });
});
