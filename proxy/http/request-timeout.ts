// The longest a request may spend in the Proxy (DEFGUARD_PROXY_REQUEST_TIMEOUT_MS): a client that trickles
// its body, or anything else that stalls, gets 408 and frees its slot. Longer than the Core timeout, so a
// slow Core's 504 comes first.
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { timeout } from "hono/timeout";
import type { AppEnv } from "./app-env.ts";

export const REQUEST_TIMEOUT_MESSAGE = "Request timeout";

/** Answers 408 `{"error": "Request timeout"}` (through the error handler) after `ms`. */
export function requestTimeout(ms: number): MiddlewareHandler<AppEnv> {
  return timeout(ms, () => new HTTPException(408, { message: REQUEST_TIMEOUT_MESSAGE }));
}
