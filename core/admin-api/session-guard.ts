// The session cookie and the middleware that turns it into the caller: 401 without a live session,
// 403 for a non-admin on admin routes.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { permissionDenied, unauthenticated } from "../../shared/errors.ts";
import { findSessionUser, type NewSession } from "../store/sessions.ts";
import type { AdminAppDeps, AdminEnv } from "./deps.ts";

export const SESSION_COOKIE = "defguard_session";

function cookieOptions(deps: AdminAppDeps) {
  return { path: "/", httpOnly: true, sameSite: "Lax", secure: !deps.config.cookieInsecure } as const;
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
