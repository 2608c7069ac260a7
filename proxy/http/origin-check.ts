// Cross-site protection of state-changing requests, on top of SameSite cookies: a browser names the page
// that sent a request in `Origin`. A request from another site is refused only when it carries one of our
// session cookies, the ambient credential a forged request could ride on; one without them proves nothing
// the body does not (a token the sender must already know). The Defguard desktop client's web view sends
// its own Origin (`tauri://localhost`, or `http://tauri.localhost` on Windows) and the session cookie it
// read from `enrollment/start` by hand: it passes. No Origin (curl, the client's Rust side) passes.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SAFE_METHODS, originHost } from "../../shared/csrf-checks.ts";
import type { AppEnv } from "./app-env.ts";
import { clientOf } from "./device-info.ts";
import { ENROLLMENT_COOKIE, PASSWORD_RESET_COOKIE } from "./session-cookies.ts";

export const CROSS_ORIGIN_MESSAGE = "Cross-origin request refused";
/** The origins of the Defguard desktop client's web view (Tauri): Linux and macOS, then Windows. */
export const DESKTOP_CLIENT_ORIGINS: ReadonlySet<string> = new Set(["tauri://localhost", "http://tauri.localhost"]);
const SESSION_COOKIES = [ENROLLMENT_COOKIE, PASSWORD_RESET_COOKIE];

/**
 * 403 `{"error": "Cross-origin request refused"}` for a non-GET request whose Origin is neither the
 * request's own host nor the desktop client's, when it carries a session cookie of ours.
 */
export function originCheck(): MiddlewareHandler<AppEnv> {
  return async function originCheck(c, next) {
    const origin = c.req.header("origin");
    if (origin !== undefined && !SAFE_METHODS.has(c.req.method) && !DESKTOP_CLIENT_ORIGINS.has(origin.toLowerCase())) {
      const foreign = originHost(origin) !== clientOf(c).host;
      if (foreign && SESSION_COOKIES.some((name) => getCookie(c, name) !== undefined)) {
        return c.json({ error: CROSS_ORIGIN_MESSAGE }, 403);
      }
    }
    await next();
  };
}
