// The two session cookies of the public flows, carrying a Core token between requests of one browser.
// HttpOnly, SameSite=Strict, Path=/, Secure unless the Proxy is served over plain http; value sealed.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieSealer } from "../cookie-seal.ts";

export const ENROLLMENT_COOKIE = "defguard_proxy";
export const PASSWORD_RESET_COOKIE = "defguard_proxy_password_reset";
/** Browsers (RFC 6265bis) and Hono cap a cookie's life at 400 days; a Core's deadline is clamped to it. */
const MAX_COOKIE_LIFETIME_MS = 400 * 86_400_000;

export type SessionCookieName = typeof ENROLLMENT_COOKIE | typeof PASSWORD_RESET_COOKIE;

export interface SessionCookies {
  /** Sets cookie `name` to the sealed `token`, expiring at `deadlineSeconds` (Unix seconds). */
  set(c: Context, name: SessionCookieName, token: string, deadlineSeconds: number): void;
  /** The token in cookie `name`; undefined when absent or not sealed by our key (tampered counts as absent). */
  read(c: Context, name: SessionCookieName): string | undefined;
  remove(c: Context, name: SessionCookieName): void;
}

export function createSessionCookies(sealer: CookieSealer, options: { insecure: boolean }): SessionCookies {
  const attributes = { httpOnly: true, sameSite: "Strict", path: "/", secure: !options.insecure } as const;
  return {
    set(c, name, token, deadlineSeconds) {
      const expires = new Date(Math.min(deadlineSeconds * 1000, Date.now() + MAX_COOKIE_LIFETIME_MS));
      setCookie(c, name, sealer.seal(name, token), { ...attributes, expires });
    },
    read(c, name) {
      const sealed = getCookie(c, name);
      return sealed ? (sealer.open(name, sealed) ?? undefined) : undefined;
    },
    remove(c, name) {
      deleteCookie(c, name, attributes);
    },
  };
}
