// Cross-site protection of state-changing requests, on top of SameSite cookies: a browser names the page
// that sent a request in `Origin`; one whose host is not the host the request was sent to is refused.
// No Origin (the desktop client, curl) is allowed: such clients carry no ambient browser credentials.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env.ts";
import { clientOf } from "./device-info.ts";

export const CROSS_ORIGIN_MESSAGE = "Cross-origin request refused";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host (and port) of an Origin header; null for `null` or anything that is no URL. */
function originHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" || url.protocol === "https:" ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** 403 `{"error"}` for a non-GET request whose Origin names another host than the request's. */
export function originCheck(): MiddlewareHandler<AppEnv> {
  return async function originCheck(c, next) {
    const origin = c.req.header("origin");
    if (origin !== undefined && !SAFE_METHODS.has(c.req.method)) {
      if (originHost(origin) !== clientOf(c).host) return c.json({ error: CROSS_ORIGIN_MESSAGE }, 403);
    }
    await next();
  };
}
