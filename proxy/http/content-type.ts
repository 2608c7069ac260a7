// The JSON API takes JSON only: a body-carrying request to /api must say `Content-Type: application/json`.
// Besides clarity, this keeps HTML forms (which cannot send that type cross-site without a CORS
// preflight) away from the API.
import type { MiddlewareHandler } from "hono";
import { isJsonMediaType } from "../../shared/csrf-checks.ts";
import type { AppEnv } from "./app-env.ts";

export const UNSUPPORTED_MEDIA_TYPE_MESSAGE = "Expected Content-Type: application/json";
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** 415 `{"error"}` for a POST/PUT/PATCH (or a DELETE with a body) that is not JSON. */
export function requireJson(): MiddlewareHandler<AppEnv> {
  return async function requireJson(c, next) {
    const method = c.req.method;
    const hasBody = method !== "DELETE" || c.req.raw.body !== null;
    if (BODY_METHODS.has(method) && hasBody && !isJsonMediaType(c.req.header("content-type"))) {
      return c.json({ error: UNSUPPORTED_MEDIA_TYPE_MESSAGE }, 415);
    }
    await next();
  };
}
