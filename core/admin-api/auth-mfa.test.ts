// Issue 14, item 3: a user with a second factor is asked for it (Defguard 1.6's paths and answers), and
// code guessing is throttled like password guessing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EMAIL_CODE_PERIOD_S, TOTP_PERIOD_S, codeAt, newCodeSecret } from "../mfa/one-time-codes.ts";
import { enableMethod } from "../mfa/user-mfa.ts";
import { type AdminTestContext, type CallResult, createAdminTestContext } from "../../test/support/admin-api.ts";
import { THROTTLED_MESSAGE } from "./login-throttle.ts";
import { SECOND_FACTOR_MESSAGES } from "./routes/auth-mfa.ts";
import { MFA_LOGIN_COOKIE, SESSION_COOKIE } from "./session-guard.ts";

let ctx: AdminTestContext;
const PASSWORD = "Wonder1and!";

/** Adds a user with `methods` enabled; returns their secret and recovery codes. */
async function addMfaUser(username: string, methods: Array<"totp" | "email">) {
  const body = { username, first_name: "T", last_name: "U", email: `${username}@example.com`, password: PASSWORD };
  expect((await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body })).status).toBe(201);
  const secret = newCodeSecret();
  const [user] = await ctx.db.sql<{ id: number }[]>`
    UPDATE users SET totp_secret = ${secret}, email_mfa_secret = ${secret} WHERE username = ${username} RETURNING id`;
  let recoveryCodes: string[] = [];
  for (const method of methods) recoveryCodes = recoveryCodes.concat(await enableMethod(ctx.db.sql, user!.id, method));
  return { secret, recoveryCodes };
}

const cookieOf = (res: CallResult, name: string) => res.headers.get("set-cookie")?.match(new RegExp(`${name}=[^;]+`))?.[0];

/** The password step; returns the pending-login cookie. */
async function passwordStep(username: string): Promise<{ res: CallResult; pending: string }> {
  const res = await ctx.call("POST", "/api/v1/auth", { body: { username, password: PASSWORD } });
  return { res, pending: cookieOf(res, MFA_LOGIN_COOKIE) ?? "" };
}

const totpNow = (secret: string, stepOffset = 0) => codeAt(secret, TOTP_PERIOD_S, Date.now() + stepOffset * TOTP_PERIOD_S * 1000);
const wrongCode = (right: string) => (right === "000000" ? "000001" : "000000");

beforeAll(async () => {
  ctx = await createAdminTestContext();
});
afterAll(() => ctx.cleanup());

describe("admin login with a second factor", () => {
  test("a TOTP user's right password answers 201 with Defguard's MFAInfo and no session", async () => {
    await addMfaUser("tina", ["totp"]);
    const { res, pending } = await passwordStep("tina");
    expect([res.status, res.body]).toEqual([201, { mfa_method: "OneTimePassword", totp_available: true, webauthn_available: false, email_available: false }]);
    expect(cookieOf(res, SESSION_COOKIE)).toBeUndefined();
    expect(res.headers.get("set-cookie")).toMatch(new RegExp(`^${MFA_LOGIN_COOKIE}=[A-Za-z0-9_-]{43}; Path=/api/v1/auth; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$`));
    const me = await ctx.call("GET", "/api/v1/me", { cookie: pending });
    expect([me.status, me.body]).toEqual([401, { error: "log in first: no valid session" }]);
    const users = await ctx.call("GET", "/api/v1/user", { cookie: pending.replace(MFA_LOGIN_COOKIE, SESSION_COOKIE) });
    expect(users.status).toBe(401);
  });

  test("TOTP: a wrong code is 401; the right one opens a session ({user, url}) once; the code is not accepted twice", async () => {
    const { secret } = await addMfaUser("tom", ["totp"]);
    const { pending } = await passwordStep("tom");
    const code = totpNow(secret);
    const wrong = await ctx.call("POST", "/api/v1/auth/totp/verify", { cookie: pending, body: { code: wrongCode(code) } });
    expect([wrong.status, wrong.body]).toEqual([401, { error: SECOND_FACTOR_MESSAGES.wrongCode.totp }]);
    const right = await ctx.call("POST", "/api/v1/auth/totp/verify", { cookie: pending, body: { code } });
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ user: { username: "tom", totp_enabled: true }, url: null });
    const session = cookieOf(right, SESSION_COOKIE)!;
    expect(right.headers.get("set-cookie")).toContain(`${MFA_LOGIN_COOKIE}=; Max-Age=0; Path=/api/v1/auth`);
    expect((await ctx.call("GET", "/api/v1/me", { cookie: session })).status).toBe(200);
    const again = await ctx.call("POST", "/api/v1/auth/totp/verify", { cookie: pending, body: { code } });
    expect([again.status, again.body]).toEqual([401, { error: SECOND_FACTOR_MESSAGES.noPendingLogin }]);
    const second = await passwordStep("tom");
    const replay = await ctx.call("POST", "/api/v1/auth/totp/verify", { cookie: second.pending, body: { code } });
    expect([replay.status, replay.body]).toEqual([401, { error: SECOND_FACTOR_MESSAGES.wrongCode.totp }]);
  });

  test("email: POST or GET /auth/email mails the code (once a step), /auth/email/verify takes it", async () => {
    const { secret } = await addMfaUser("emma", ["email"]);
    const { res, pending } = await passwordStep("emma");
    expect(res.body).toEqual({ mfa_method: "Email", totp_available: false, webauthn_available: false, email_available: true });
    const sent = await ctx.call("POST", "/api/v1/auth/email", { cookie: pending });
    expect([sent.status, sent.body]).toEqual([200, null]);
    expect((await ctx.call("GET", "/api/v1/auth/email", { cookie: pending })).status).toBe(200);
    const mails = await ctx.db.sql<{ text: string; created_at: Date }[]>`SELECT text, created_at FROM mail_outbox WHERE recipient = 'emma@example.com'`;
    expect(mails.length).toBe(1);
    const code = mails[0]!.text.match(/\b\d{6}\b/)?.[0];
    expect(code).toBe(codeAt(secret, EMAIL_CODE_PERIOD_S, mails[0]!.created_at.getTime()));
    const right = await ctx.call("POST", "/api/v1/auth/email/verify", { cookie: pending, body: { code } });
    expect(right.status).toBe(200);
    expect(right.body.user.username).toBe("emma");
  });

  test("email codes for a TOTP-only user, and any step without a pending login, are refused", async () => {
    await addMfaUser("ted", ["totp"]);
    const { pending } = await passwordStep("ted");
    const mail = await ctx.call("POST", "/api/v1/auth/email", { cookie: pending });
    expect([mail.status, mail.body]).toEqual([400, { error: SECOND_FACTOR_MESSAGES.notEnabled.email }]);
    for (const path of ["/api/v1/auth/totp/verify", "/api/v1/auth/email/verify", "/api/v1/auth/recovery"]) {
      const res = await ctx.call("POST", path, { body: { code: "123456" } });
      expect([res.status, res.body]).toEqual([401, { error: SECOND_FACTOR_MESSAGES.noPendingLogin }]);
    }
    const missing = await ctx.call("POST", "/api/v1/auth/totp/verify", { cookie: pending, body: {} });
    expect([missing.status, missing.body]).toEqual([400, { error: "code: is required" }]);
  });

  test("a recovery code logs in once; the same code a second time is refused", async () => {
    const { recoveryCodes } = await addMfaUser("rita", ["totp"]);
    expect(recoveryCodes).toHaveLength(8);
    const first = await passwordStep("rita");
    const used = await ctx.call("POST", "/api/v1/auth/recovery", { cookie: first.pending, body: { code: recoveryCodes[0]!.toLowerCase() } });
    expect(used.status).toBe(200);
    expect(used.body.user.username).toBe("rita");
    const second = await passwordStep("rita");
    const reused = await ctx.call("POST", "/api/v1/auth/recovery", { cookie: second.pending, body: { code: recoveryCodes[0]! } });
    expect([reused.status, reused.body]).toEqual([401, { error: SECOND_FACTOR_MESSAGES.wrongCode.recovery }]);
    const [row] = await ctx.db.sql<{ n: number }[]>`SELECT cardinality(recovery_codes) AS n FROM users WHERE username = 'rita'`;
    expect(row!.n).toBe(7);
    expect((await ctx.call("POST", "/api/v1/auth/recovery", { cookie: second.pending, body: { code: recoveryCodes[1]! } })).status).toBe(200);
  });

  test("code guessing is throttled per account: new pending logins do not reset it, the right code is refused too", async () => {
    const { secret } = await addMfaUser("greg", ["totp"]);
    const code = totpNow(secret);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { pending } = await passwordStep("greg");
      for (let j = 0; j < 2; j++) statuses.push((await ctx.call("POST", "/api/v1/auth/totp/verify", { cookie: pending, body: { code: wrongCode(code) } })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const password = await ctx.call("POST", "/api/v1/auth", { body: { username: "greg", password: PASSWORD } });
    expect([password.status, password.body]).toEqual([429, { error: THROTTLED_MESSAGE }]);
    const [row] = await ctx.db.sql<{ failures: number }[]>`SELECT failures FROM login_failures WHERE key = 'user:' || (SELECT id FROM users WHERE username = 'greg')`;
    expect(row!.failures).toBe(5);
  });
});
