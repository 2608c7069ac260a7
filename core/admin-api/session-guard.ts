// The session cookie and the middleware that turns it into the caller: 401 without a live session,
// 403 for a non-admin on admin routes.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { permissionDenied, unauthenticated } from "../../shared/errors.ts";
import { createSession, findSessionUser, type NewSession } from "../store/sessions.ts";
import { getUserInfoById } from "../store/users.ts";
import { clientAddress } from "./client-address.ts";
import type { AdminAppDeps, AdminEnv } from "./deps.ts";

export const SESSION_COOKIE = "defguard_session";
/** A login waiting for its second factor (core/store/mfa-logins.ts); sent only to the /auth steps. */
export const MFA_LOGIN_COOKIE = "defguard_mfa_login";
const MFA_LOGIN_COOKIE_PATH = "/api/v1/auth";

// Strict: a request from any other site carries no admin cookie at all (issue 14: Lax let a top-level
// form POST from another site through). Same-site pages on other ports are refused by the Origin and
// Content-Type checks (csrf-guard.ts), since cookies do not tell ports apart.
function cookieOptions(deps: AdminAppDeps) {
  return { path: "/", httpOnly: true, sameSite: "Strict", secure: !deps.config.cookieInsecure } as const;
}

export function setMfaLoginCookie(c: Context, deps: AdminAppDeps, login: { id: string; expiresAt: Date }): void {
  setCookie(c, MFA_LOGIN_COOKIE, login.id, { ...cookieOptions(deps), path: MFA_LOGIN_COOKIE_PATH, expires: login.expiresAt });
}

export function clearMfaLoginCookie(c: Context, deps: AdminAppDeps): void {
  deleteCookie(c, MFA_LOGIN_COOKIE, { ...cookieOptions(deps), path: MFA_LOGIN_COOKIE_PATH });
}

export function readMfaLoginCookie(c: Context): string | undefined {
  return getCookie(c, MFA_LOGIN_COOKIE);
}

export function setSessionCookie(c: Context, deps: AdminAppDeps, session: NewSession): void {
  setCookie(c, SESSION_COOKIE, session.id, { ...cookieOptions(deps), expires: session.expiresAt });
}

export function clearSessionCookie(c: Context, deps: AdminAppDeps): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(deps));
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Sets `session` for the handlers; 401 when the cookie is missing, unknown or expired. */
export function requireSession(deps: AdminAppDeps): MiddlewareHandler<AdminEnv> {
  return async function sessionGuard(c, next) {
    const id = readSessionCookie(c);
    const session = id ? await findSessionUser(deps.sql, id) : null;
    if (!session) throw unauthenticated("log in first: no valid session");
    c.set("session", session);
    await next();
  };
}

/** After requireSession: 403 unless the caller is a member of `admin`. */
export function requireAdmin(): MiddlewareHandler<AdminEnv> {
  return async function adminGuard(c, next) {
    if (!c.get("session").isAdmin) throw permissionDenied("only members of group admin may do this");
    await next();
  };
}

/** Opens a session for `userId` and answers Defguard's `{user, url}`: the last step of every login. */
export async function openSession(c: Context, deps: AdminAppDeps, userId: number): Promise<Response> {
  const session = await createSession(deps.sql, userId, deps.config.timeouts.sessionS, {
    ipAddress: clientAddress(c),
    userAgent: c.req.header("user-agent") ?? null,
  });
  setSessionCookie(c, deps, session);
  return c.json({ user: await getUserInfoById(deps.sql, userId), url: null });
}
