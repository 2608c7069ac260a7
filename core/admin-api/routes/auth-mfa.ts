// The second step of an admin login, on Defguard 1.6's paths: after POST /auth answered 201, the browser
// holds the pending-login cookie and sends a TOTP code (/auth/totp/verify), asks for a mailed code
// (GET or POST /auth/email) and sends it (/auth/email/verify), or spends a recovery code (/auth/recovery).
// A right code ends the pending login and opens a session (200 `{user, url}`); wrong codes count against
// the account and the address like wrong passwords.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { failedPrecondition, unauthenticated } from "../../../shared/errors.ts";
import { mailEmailCode } from "../../flows/email-code-mail.ts";
import type { CodeMethod } from "../../mfa/one-time-codes.ts";
import { type MfaUser, checkUserCode, isMethodEnabled, loadMfaUser, useRecoveryCode } from "../../mfa/user-mfa.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import { consumeMfaLogin, findMfaLogin } from "../../store/mfa-logins.ts";
import { readBody } from "../body.ts";
import { clientAddress } from "../client-address.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";
import { type LoginThrottle, accountKey, addressKey } from "../login-throttle.ts";
import { clearMfaLoginCookie, openSession, readMfaLoginCookie } from "../session-guard.ts";

const codeSchema = z.object({ code: z.string({ error: "expected a string" }).min(1, "must not be empty").max(64, "expected at most 64 characters") });

export const SECOND_FACTOR_MESSAGES = {
  noPendingLogin: "log in with your password first: no login is waiting for a second factor",
  wrongCode: { totp: "invalid TOTP code", email: "invalid email code", recovery: "invalid recovery code" },
  notEnabled: { totp: "TOTP is not enabled for this account", email: "email codes are not enabled for this account" },
} as const;

type Factor = CodeMethod | "recovery";

/** The pending login's cookie value and its user; 401 without a live one. */
async function pendingLogin(c: Context, deps: AdminAppDeps): Promise<{ id: string; user: MfaUser }> {
  const id = readMfaLoginCookie(c);
  const userId = id ? await findMfaLogin(deps.sql, id) : null;
  const user = userId === null ? undefined : await loadMfaUser(deps.sql, userId, secretBoxOf(deps.config));
  if (!id || !user) throw unauthenticated(SECOND_FACTOR_MESSAGES.noPendingLogin);
  return { id, user };
}

/** Whether `code` is right for `factor`; a recovery code is spent by checking it. */
async function checkFactor(deps: AdminAppDeps, user: MfaUser, factor: Factor, code: string): Promise<boolean> {
  if (factor === "recovery") return useRecoveryCode(deps.sql, user.id, code);
  if (!isMethodEnabled(user, factor)) return false;
  return (await checkUserCode(deps.sql, user, factor, code, Date.now())) === "ok";
}

/** A handler for one factor's verify route. */
function verifyFactor(deps: AdminAppDeps, throttle: LoginThrottle, factor: Factor) {
  return async function verifySecondFactor(c: Context) {
    const { code } = await readBody(c, codeSchema);
    const { id, user } = await pendingLogin(c, deps);
    const attempt = await throttle.begin([accountKey(user.id, user.username), ...addressKey(clientAddress(c))]);
    try {
      if (!(await checkFactor(deps, user, factor, code))) {
        await attempt.fail();
        deps.audit?.record({ event: "admin_login", outcome: "failure", username: user.username, ipAddress: clientAddress(c), details: { second_factor: factor } });
        throw unauthenticated(SECOND_FACTOR_MESSAGES.wrongCode[factor]);
      }
      // Once: of two right codes sent together, only the first opens a session.
      if (!(await consumeMfaLogin(deps.sql, id))) throw unauthenticated(SECOND_FACTOR_MESSAGES.noPendingLogin);
      await attempt.succeed();
    } finally {
      attempt.end();
    }
    clearMfaLoginCookie(c, deps);
    deps.audit?.record({ event: "admin_login", outcome: "success", username: user.username, ipAddress: clientAddress(c), details: { second_factor: factor } });
    deps.log.info(`User ${user.username} logged in to the admin API with ${factor === "recovery" ? "a recovery code" : factor}`);
    return openSession(c, deps, user.id);
  };
}

/** GET (Defguard's) or POST /auth/email: mails the current code, at most one mail per 60 s step. */
function sendEmailCode(deps: AdminAppDeps) {
  return async function sendEmailCode(c: Context) {
    const { user } = await pendingLogin(c, deps);
    if (!user.email_mfa_enabled) throw failedPrecondition(SECOND_FACTOR_MESSAGES.notEnabled.email);
    if (await mailEmailCode(deps, user)) deps.log.info(`Mailed an email code to ${user.username} for the admin login`);
    return c.body(null, 200);
  };
}

export function secondFactorRoutes(deps: AdminAppDeps, throttle: LoginThrottle): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.post("/auth/totp/verify", verifyFactor(deps, throttle, "totp"));
  app.get("/auth/email", sendEmailCode(deps));
  app.post("/auth/email", sendEmailCode(deps));
  app.post("/auth/email/verify", verifyFactor(deps, throttle, "email"));
  app.post("/auth/recovery", verifyFactor(deps, throttle, "recovery"));
  return app;
}
