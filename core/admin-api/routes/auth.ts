// Logging in and out of the admin API, and `/me` for any logged-in user. Defguard 1.6's answers: 200
// `{user, url}` with a session, or 201 `{mfa_method, totp_available, webauthn_available, email_available}`
// without one when the user has a second factor (then routes/auth-mfa.ts). Guessing is throttled per
// account and per address (login-throttle.ts).
import { type Context, Hono } from "hono";
import { z } from "zod";
import { permissionDenied, unauthenticated } from "../../../shared/errors.ts";
import { createMfaLogin } from "../../store/mfa-logins.ts";
import { deleteSession } from "../../store/sessions.ts";
import { type UserRecord, findUserByLogin, getUserInfoById, replacePasswordHash } from "../../store/users.ts";
import { hashPassword, needsRehash, verifyPassword } from "../../users/passwords.ts";
import { readBody } from "../body.ts";
import { clientAddress } from "../client-address.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";
import { type LoginThrottle, accountKey, addressKey, createLoginThrottle } from "../login-throttle.ts";
import { clearSessionCookie, openSession, readSessionCookie, requireSession, setMfaLoginCookie } from "../session-guard.ts";
import { secondFactorRoutes } from "./auth-mfa.ts";

const loginSchema = z.object({
  username: z.string({ error: "expected a string" }).min(1, "must not be empty"),
  password: z.string({ error: "expected a string" }).min(1, "must not be empty"),
});

const WRONG_CREDENTIALS = "invalid username or password";
export const ACCOUNT_DISABLED = "your account is disabled: ask an administrator to enable it";
/** How long a right password waits for its second factor. */
export const MFA_LOGIN_TTL_S = 5 * 60;

type MfaColumns = Pick<UserRecord, "totp_enabled" | "email_mfa_enabled">;

/** True when the user must give a second factor after the password. */
export const hasSecondFactor = (user: MfaColumns): boolean => user.totp_enabled || user.email_mfa_enabled;

/** Defguard's MFAInfo: its default method (TOTP before email here) and which ones the user may use. */
function mfaInfo(user: MfaColumns) {
  return {
    mfa_method: user.totp_enabled ? "OneTimePassword" : "Email",
    totp_available: user.totp_enabled,
    webauthn_available: false,
    email_available: user.email_mfa_enabled,
  };
}

/** A hash made with weaker settings than today's (an older install, an import) is replaced while the password is at hand. */
async function upgradeHash(deps: AdminAppDeps, user: UserRecord, password: string): Promise<void> {
  const oldHash = user.password_hash;
  if (oldHash === null || !needsRehash(oldHash)) return;
  if (await replacePasswordHash(deps.sql, user.id, oldHash, await hashPassword(password))) {
    deps.log.info(`Password hash of ${user.username} upgraded to the current Argon2id parameters`);
  }
}

/** POST /auth: the password step. A wrong one counts against the account and the address. */
function passwordLogin(deps: AdminAppDeps, throttle: LoginThrottle) {
  return async function passwordLogin(c: Context) {
    const body = await readBody(c, loginSchema);
    const user = await findUserByLogin(deps.sql, body.username);
    const attempt = await throttle.begin([accountKey(user?.id ?? null, body.username), ...addressKey(clientAddress(c))]);
    try {
      // Same answer, and the same Argon2 work, for unknown users, users without a password and wrong passwords.
      const valid = await verifyPassword(body.password, user?.password_hash ?? null);
      if (!user || !valid) {
        await attempt.fail();
        throw unauthenticated(WRONG_CREDENTIALS);
      }
      // Only the right password learns that the account is disabled: the sign-in page then says so plainly.
      if (!user.is_active) {
        await attempt.succeed();
        throw permissionDenied(ACCOUNT_DISABLED);
      }
      await upgradeHash(deps, user, body.password);
      if (hasSecondFactor(user)) {
        // The account's streak stays: it is forgotten only once the second factor is right too, so a
        // known password does not buy fresh code guesses.
        const pending = await createMfaLogin(deps.sql, user.id, MFA_LOGIN_TTL_S, { ipAddress: clientAddress(c), userAgent: c.req.header("user-agent") ?? null });
        setMfaLoginCookie(c, deps, pending);
        deps.log.info(`User ${user.username} gave the right password; waiting for the second factor`);
        return c.json(mfaInfo(user), 201);
      }
      await attempt.succeed();
    } finally {
      attempt.end();
    }
    deps.log.info(`User ${user.username} logged in to the admin API`);
    return openSession(c, deps, user.id);
  };
}

export function authRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const throttle = createLoginThrottle(deps.sql, deps.now);

  app.post("/auth", passwordLogin(deps, throttle));
  app.route("/", secondFactorRoutes(deps, throttle));

  app.post("/auth/logout", async (c) => {
    const id = readSessionCookie(c);
    if (id) await deleteSession(deps.sql, id);
    clearSessionCookie(c, deps);
    return c.body(null, 200);
  });

  app.get("/me", requireSession(deps), async (c) => {
    const user = await getUserInfoById(deps.sql, c.get("session").userId);
    if (!user) throw unauthenticated("log in first: no valid session");
    return c.json(user);
  });

  return app;
}
