// Cross-site request forgery on the admin API (issue 14, item 2): a text/plain form on another port of
// the same host created an admin, since cookies do not tell ports apart and the API read any body as
// JSON. Every state-changing request (POST, PUT, PATCH, DELETE, with a body or not) must now come from
// this origin, when the browser names one, and say `Content-Type: application/json`, which an HTML form
// cannot send and a cross-origin script cannot send without a CORS preflight this API never grants.
// Clients that are no browser (curl, scripts) send no Origin and pass that check; the CLI uses no HTTP.
import type { MiddlewareHandler } from "hono";
import { SAFE_METHODS, isJsonMediaType, originHost } from "../../shared/csrf-checks.ts";
import type { AdminEnv } from "./deps.ts";

export const CROSS_ORIGIN_MESSAGE = "cross-origin request refused: the Origin header names another host than this API's";
export const JSON_REQUIRED_MESSAGE = "Content-Type: expected application/json on every POST, PUT, PATCH and DELETE, with a body or not";

/**
 * 403 `{error}` when `Origin` is present and is not this API's scheme-less host:port (as the browser sent
 * it in `Host`: a reverse proxy in front must pass Host on unchanged); then 415 `{error}` unless the
 * request says `Content-Type: application/json`. GET, HEAD and OPTIONS pass.
 */
export function csrfGuard(): MiddlewareHandler<AdminEnv> {
  return async function csrfGuard(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    const ownHost = (c.req.header("host") ?? new URL(c.req.url).host).toLowerCase();
    if (origin !== undefined && originHost(origin) !== ownHost) return c.json({ error: CROSS_ORIGIN_MESSAGE }, 403);
    if (!isJsonMediaType(c.req.header("content-type"))) return c.json({ error: JSON_REQUIRED_MESSAGE }, 415);
    await next();
  };
}
