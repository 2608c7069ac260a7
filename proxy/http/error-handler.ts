// The one place the Proxy's web app turns errors into HTTP: AppError by its code (WIRE.md table),
// anything else a 500 whose cause only the log sees, tagged with the request id the client also gets.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, httpStatusForCode, publicMessageForCode } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { AppEnv } from "./app-env.ts";

export const INTERNAL_MESSAGE = "Internal server error";
export const NOT_FOUND_MESSAGE = "Not found";

/** Never empty: an error without message or stack is named by its type (issue 14 saw bare "Request failed" lines). */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const text = err.stack || err.message || `${err.name || err.constructor.name} without a message`;
    return err.cause ? `${text}; cause: ${String(err.cause)}` : text;
  }
  return String(err) || `${typeof err} thrown without a message`;
}

export function createErrorHandler(log: Logger): ErrorHandler<AppEnv> {
  return function handleError(err, c) {
    const requestId = c.get("requestId");
    const where = { requestId, method: c.req.method, path: c.req.path };
    // The client is gone (it closed the connection, or Bun closed it: Bun 1.4 drops a connection whose
    // next pipelined request arrives while an answer is pending): nobody reads the answer, and it is no
    // fault of this server, so it is no ERROR.
    if (c.req.raw.signal.aborted) {
      log.debug("Request abandoned: the client connection closed before the answer", { ...where, error: describe(err) });
      return c.json({ error: INTERNAL_MESSAGE }, 500);
    }
    if (err instanceof AppError) {
      const status = httpStatusForCode(err.code) as ContentfulStatusCode;
      if (status === 500) log.error("Request failed", { ...where, code: err.code, error: describe(err) });
      else log.debug("Request refused", { ...where, code: err.code, status, reason: err.message });
      return c.json({ error: publicMessageForCode(err.code, err.message) }, status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: err.message || NOT_FOUND_MESSAGE }, err.status);
    }
    log.error("Request failed", { ...where, error: describe(err) });
    return c.json({ error: INTERNAL_MESSAGE }, 500);
  };
}

/** JSON 404 under /api/ (clients parse it); plain text elsewhere, where pages may add their own. */
export const handleNotFound: NotFoundHandler = function handleNotFound(c: Context) {
  if (c.req.path.startsWith("/api/")) return c.json({ error: NOT_FOUND_MESSAGE }, 404);
  return c.text(NOT_FOUND_MESSAGE, 404);
};
