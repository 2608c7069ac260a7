// Security headers on every response of the public web server. The API gets a CSP that allows nothing
// and `Cache-Control: no-store`; pages keep the CSP their own routes set (only `frame-ancestors 'none'`
// is added when they set none). HSTS only when the client came over https (per clientAddress()).
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env.ts";
import { clientOf } from "./device-info.ts";
import { setResponseHeader } from "./response-headers.ts";

/** JSON answers load nothing and may be framed by nobody. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** For responses outside /api that set no CSP of their own: at least no framing (clickjacking). */
export const FALLBACK_CSP = "frame-ancestors 'none'";
/** One year, as Defguard sends it. */
export const HSTS = "max-age=31536000";

function isApi(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

/** nosniff, no-referrer, X-Frame-Options DENY, the CSPs above, HSTS over https, no-store on /api. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const common = secureHeaders({
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    // Only over https (RFC 6797 7.2): set below, once we know how the client came.
    strictTransportSecurity: false,
    // A page may relax what it needs (e.g. a referrer policy of its own); its headers win.
    overwrite: false,
  });
  return async function securityHeaders(c, next) {
    await common(c, async () => {
      await next();
      if (isApi(c.req.path)) {
        setResponseHeader(c, "Content-Security-Policy", API_CSP);
        setResponseHeader(c, "Cache-Control", "no-store");
      } else if (!c.res.headers.has("Content-Security-Policy")) {
        setResponseHeader(c, "Content-Security-Policy", FALLBACK_CSP);
      }
      if (clientOf(c).https) setResponseHeader(c, "Strict-Transport-Security", HSTS);
    });
  };
}
