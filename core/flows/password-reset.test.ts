// Password reset through dispatch() on a real database, with the mail worker sending to a real SMTP server:
// the same answer for every address, the per-address limit, the token and its session, the reset itself.
import { beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../shared/errors.ts";
import { errorOf, type FlowHarness, useFlowHarness } from "../../test/support/flow-harness.ts";
import { createSession } from "../store/sessions.ts";
import { hashToken } from "../tokens.ts";
import { hashPassword } from "../users/passwords.ts";
import { addToken, addUser } from "./enrollment/test-fixtures.ts";
import { SESSION_MESSAGES } from "./enrollment.ts";
import { REQUEST_MESSAGES, RESET_MESSAGES } from "./password-reset.ts";

const OLD_PASSWORD = "Old-passw0rd!";
const NEW_PASSWORD = "N3w-passw0rd!";
const LINK = /https:\/\/enroll\.example\.com\/password-reset\?token=([A-Za-z0-9]{32})/;

let h: FlowHarness;
let oldHash: string;
useFlowHarness((started) => (h = started));

beforeAll(async () => {
  oldHash = await hashPassword(OLD_PASSWORD);
});

beforeEach(async () => {
  // Each test starts with no request counted against any address.
  await h.sql`DELETE FROM password_reset_requests`;
});

const unauthenticated = (message: string) => ({ status_code: GrpcStatus.UNAUTHENTICATED, message });
const invalid = (message: string) => ({ status_code: GrpcStatus.INVALID_ARGUMENT, message });

async function requestReset(email: string) {
  const response = await h.call("password_reset_init", { email });
  await h.resetFlow.background.settled();
  return response;
}

async function resetUser(seed: Parameters<typeof addUser>[1] = {}) {
  const user = await addUser(h.sql, { password_hash: oldHash, first_name: "Rita", ...seed });
  return { ...user, email: `${user.username}@example.com` };
}

async function resetTokens(userId: number): Promise<Array<{ token_hash: string; used: boolean }>> {
  const rows = await h.sql<{ token_hash: string; used: boolean }[]>`
    SELECT token_hash, used_at IS NOT NULL AS used FROM tokens WHERE user_id = ${userId} AND kind = 'PASSWORD_RESET' ORDER BY created_at`;
  return [...rows];
}

/** Requests a reset for a fresh user and returns the token from the link in the mail. */
async function mailedToken(seed: Parameters<typeof addUser>[1] = {}) {
  const user = await resetUser(seed);
  expect(await requestReset(user.email)).toMatchObject({ empty: {} });
  const mail = await h.smtp.waitFor((m) => m.to.includes(user.email) && m.subject.includes("Reset your password"));
  const token = mail.text.match(LINK)![1]!;
  return { user, token, mail };
}

describe("password_reset_init", () => {
  test("a known active user with a password gets a mail whose link carries a new PASSWORD_RESET token", async () => {
    const { user, token, mail } = await mailedToken();
    expect(mail.subject).toBe("Defguard: Reset your password");
    expect(mail.html).toContain(`https://enroll.example.com/password-reset?token=${token}`);
    expect(await resetTokens(user.id)).toEqual([{ token_hash: hashToken(token), used: false }]);
  });

  test("unknown addresses, users without a password and disabled users get the same answer and nothing else", async () => {
    const noPassword = await resetUser({ password_hash: null });
    const disabled = await resetUser({ is_active: false });
    const outbox = async () => (await h.sql<{ n: number }[]>`SELECT count(*) AS n FROM mail_outbox`)[0]!.n;
    const before = await outbox();
    for (const email of ["nobody@example.com", noPassword.email, disabled.email]) {
      const response = await requestReset(email);
      expect(response).toEqual({ id: response.id, empty: {} });
    }
    expect(await outbox()).toBe(before);
    expect(await resetTokens(noPassword.id)).toEqual([]);
    expect(await resetTokens(disabled.id)).toEqual([]);
  });

  test("answers before looking anything up: with the users table locked, known and unknown addresses are answered alike", async () => {
    const user = await resetUser();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const lock = h.sql.begin(async (tx) => {
      await tx`LOCK TABLE users IN ACCESS EXCLUSIVE MODE`;
      locked();
      await held;
    });
    await isLocked;
    const answers = [await h.call("password_reset_init", { email: user.email }), await h.call("password_reset_init", { email: "ghost@example.com" })];
    expect(answers.map((a) => a.empty)).toEqual([{}, {}]);
    expect(await resetTokens(user.id)).toEqual([]);
    release();
    await lock;
    await h.resetFlow.background.settled();
    expect(await resetTokens(user.id)).toHaveLength(1);
  });

  test("one mail per address per minute, counted case-insensitively; later, a new token replaces the unused one", async () => {
    const { user, token } = await mailedToken();
    await requestReset(user.email.toUpperCase());
    await requestReset(user.email);
    expect(await resetTokens(user.id)).toEqual([{ token_hash: hashToken(token), used: false }]);
    expect(h.logLines.some((l) => l.includes("Password reset requested again within 60 s for one address: ignored"))).toBe(true);

    await h.sql`UPDATE password_reset_requests SET last_requested_at = now() - interval '61 seconds'`;
    await requestReset(user.email);
    const mails = await h.smtp.waitForCount(2, (m) => m.to.includes(user.email));
    const second = mails[1]!.text.match(LINK)![1]!;
    expect(await resetTokens(user.id)).toEqual([{ token_hash: hashToken(second), used: false }]);
  });

  test("input that is no address is INVALID_ARGUMENT, whoever asks", async () => {
    expect(errorOf(await h.call("password_reset_init", { email: "  " }))).toEqual(invalid(REQUEST_MESSAGES.emailRequired));
    for (const email of ["alice", "a b@example.com", `${"x".repeat(250)}@example.com`]) {
      expect(errorOf(await h.call("password_reset_init", { email }))).toEqual(invalid(REQUEST_MESSAGES.emailInvalid));
    }
  });
});

describe("password_reset_start", () => {
  test("opens a 10-minute session and answers the same deadline when started again", async () => {
    const { token } = await mailedToken();
    const before = Math.floor(Date.now() / 1000);
    const first = await h.call("password_reset_start", { token });
    const deadline = Number(first.password_reset_start!.deadline_timestamp);
    expect(deadline).toBeGreaterThanOrEqual(before + 600 - 1);
    expect(deadline).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 600);
    expect((await h.call("password_reset_start", { token })).password_reset_start).toEqual({ deadline_timestamp: deadline });
  });

  test("refuses missing, malformed, unknown and enrollment tokens; an enrollment refuses reset tokens", async () => {
    const { user, token } = await mailedToken();
    expect(errorOf(await h.call("password_reset_start", {}))).toEqual(unauthenticated(RESET_MESSAGES.tokenMissing));
    expect(errorOf(await h.call("password_reset_start", { token: "short" }))).toEqual(unauthenticated(RESET_MESSAGES.tokenInvalid));
    expect(errorOf(await h.call("password_reset_start", { token: "A".repeat(32) }))).toEqual(unauthenticated(RESET_MESSAGES.tokenInvalid));
    const enrollmentToken = await addToken(h.sql, user.id);
    expect(errorOf(await h.call("password_reset_start", { token: enrollmentToken }))).toEqual(unauthenticated(RESET_MESSAGES.tokenInvalid));
    expect(errorOf(await h.call("enrollment_start", { token }))).toEqual(unauthenticated(SESSION_MESSAGES.tokenInvalid));
  });

  test("an expired token, an ended session and a disabled account are refused", async () => {
    const expired = await mailedToken();
    await h.sql`UPDATE tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(expired.token)}`;
    expect(errorOf(await h.call("password_reset_start", { token: expired.token }))).toEqual(unauthenticated(RESET_MESSAGES.tokenExpired));

    const ended = await mailedToken();
    await h.call("password_reset_start", { token: ended.token });
    await h.sql`UPDATE tokens SET session_deadline = now() - interval '1 second' WHERE token_hash = ${hashToken(ended.token)}`;
    expect(errorOf(await h.call("password_reset_start", { token: ended.token }))).toEqual(unauthenticated(RESET_MESSAGES.sessionExpired));
    expect(errorOf(await h.call("password_reset", { token: ended.token, password: NEW_PASSWORD }))).toEqual(unauthenticated(RESET_MESSAGES.sessionExpired));

    const disabled = await mailedToken();
    await h.sql`UPDATE users SET is_active = false WHERE id = ${disabled.user.id}`;
    expect(errorOf(await h.call("password_reset_start", { token: disabled.token }))).toEqual({
      status_code: GrpcStatus.PERMISSION_DENIED,
      message: RESET_MESSAGES.userDisabled,
    });
  });
});

describe("password_reset", () => {
  test("needs a started session and a strong password", async () => {
    const { token } = await mailedToken();
    expect(errorOf(await h.call("password_reset", { password: NEW_PASSWORD }))).toEqual(unauthenticated(RESET_MESSAGES.tokenMissing));
    expect(errorOf(await h.call("password_reset", { token, password: NEW_PASSWORD }))).toEqual(unauthenticated(RESET_MESSAGES.sessionNotStarted));
    await h.call("password_reset_start", { token });
    expect(errorOf(await h.call("password_reset", { token, password: "short" }))).toEqual(invalid("password must be at least 8 characters long"));
    expect(errorOf(await h.call("password_reset", { token, password: "nouppercase1!" }))).toEqual(invalid("password must contain an uppercase letter (A-Z)"));
  });

  test("sets the password, spends the token, ends the user's admin sessions and mails a notice", async () => {
    const { user, token } = await mailedToken();
    const other = await resetUser();
    await createSession(h.sql, user.id, 3600);
    await createSession(h.sql, user.id, 3600);
    await createSession(h.sql, other.id, 3600);
    await h.call("password_reset_start", { token });
    const done = await h.call("password_reset", { token, password: NEW_PASSWORD }, { ip_address: "203.0.113.9" });
    expect(done).toEqual({ id: done.id, empty: {} });

    const [row] = await h.sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE id = ${user.id}`;
    expect(await Bun.password.verify(NEW_PASSWORD, row!.password_hash)).toBe(true);
    expect(await Bun.password.verify(OLD_PASSWORD, row!.password_hash)).toBe(false);
    expect(await resetTokens(user.id)).toEqual([{ token_hash: hashToken(token), used: true }]);
    const sessions = await h.sql<{ user_id: number }[]>`SELECT user_id FROM sessions WHERE user_id IN (${user.id}, ${other.id})`;
    expect([...sessions]).toEqual([{ user_id: other.id }]);

    const notice = await h.smtp.waitFor((m) => m.to.includes(user.email) && m.subject === "Defguard: Your password was changed");
    expect(notice.text).toContain("from 203.0.113.9");
    expect(notice.text).not.toContain(NEW_PASSWORD);

    expect(errorOf(await h.call("password_reset", { token, password: NEW_PASSWORD }))).toEqual(unauthenticated(RESET_MESSAGES.tokenUsed));
    expect(errorOf(await h.call("password_reset_start", { token }))).toEqual(unauthenticated(RESET_MESSAGES.tokenUsed));
  });

  test("two resets racing with one token: exactly one succeeds", async () => {
    const { token } = await mailedToken();
    await h.call("password_reset_start", { token });
    const results = await Promise.all([h.call("password_reset", { token, password: NEW_PASSWORD }), h.call("password_reset", { token, password: `${NEW_PASSWORD}x` })]);
    expect(results.filter((r) => r.empty).length).toBe(1);
    expect(results.map(errorOf).filter(Boolean)).toEqual([unauthenticated(RESET_MESSAGES.tokenUsed)]);
  });
});

describe("without SMTP", () => {
  let bare: FlowHarness;
  useFlowHarness((started) => (bare = started), { smtp: false });

  test("every address gets the empty answer of an unknown one, the reason is logged at WARN, and nothing is queued", async () => {
    const user = await addUser(bare.sql, { password_hash: oldHash });
    for (const email of [`${user.username}@example.com`, "nobody@example.com"]) {
      const before = bare.logLines.length;
      const answer = await bare.call("password_reset_init", { email });
      expect({ ...answer, id: 0 }).toEqual({ id: 0, empty: {} });
      const logged = bare.logLines.slice(before).filter((l) => l.includes(" WARN "));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toEndWith(REQUEST_MESSAGES.mailUnavailable);
      expect(logged[0]).not.toContain(email);
    }
    await bare.resetFlow.background.settled();
    expect((await bare.sql`SELECT 1 FROM tokens WHERE kind = 'PASSWORD_RESET'`).length).toBe(0);
  });
});
