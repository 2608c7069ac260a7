// The admin API's one error edge: AppError codes to HTTP statuses and `{"error": "..."}`; anything else
// is a 500 whose cause goes to the log only.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, GrpcStatus } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import { LoginThrottledError } from "./login-throttle.ts";

const HTTP_STATUS_BY_CODE: Partial<Record<GrpcStatus, ContentfulStatusCode>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.FAILED_PRECONDITION]: 400,
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.ALREADY_EXISTS]: 409,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
};

export function adminStatusForCode(code: GrpcStatus): ContentfulStatusCode {
  return HTTP_STATUS_BY_CODE[code] ?? 500;
}

/** The app's onError: known errors answer with their status and message, unknown ones with a bare 500. */
export function createErrorHandler(log: Logger) {
  return function handleAdminError(err: Error, c: Context): Response {
    if (err instanceof AppError) {
      const status = adminStatusForCode(err.code);
      if (err instanceof LoginThrottledError) return c.json({ error: err.message }, status, { "Retry-After": String(err.retryAfterS) });
      if (status !== 500) return c.json({ error: err.message }, status);
    }
    if (err instanceof HTTPException && err.status < 500) return c.json({ error: err.message || "bad request" }, err.status);
    log.error("admin API request failed", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      error: err.stack ?? err.message,
    });
    return c.json({ error: "Internal server error" }, 500);
  };
}

export function handleNotFound(c: Context): Response {
  return c.json({ error: "not found" }, 404);
}
