// The Proxy's public web app: health and info, the flows' JSON routes under /api/v1, the Core headers,
// one error handler. Other routers (the HTML pages) are mounted through `extraRoutes`.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import type { Logger } from "../../shared/logger.ts";
import { COMPONENT_VERSION } from "../../shared/version.ts";
import type { ProxyConfig } from "../config.ts";
import type { CookieSealer } from "../cookie-seal.ts";
import type { ProxyMetrics } from "../metrics.ts";
import { type CoreGateway, NOT_CONNECTED_MESSAGE } from "../core-links.ts";
import type { RouteDeps } from "../routes/core-call.ts";
import { clientMfaRoutes } from "../routes/client-mfa.ts";
import { enrollmentRoutes } from "../routes/enrollment.ts";
import { passwordResetRoutes } from "../routes/password-reset.ts";
import { pollingRoutes } from "../routes/polling.ts";
import type { AppEnv } from "./app-env.ts";
import { coreHeaders } from "./core-headers.ts";
import { installEdgeGuards, installSecretLimits } from "./edge-guards.ts";
import { createErrorHandler, handleNotFound } from "./error-handler.ts";
import { createSessionCookies } from "./session-cookies.ts";

/**
 * Public request bodies are a few hundred bytes; anything far larger is refused before parsing. 16 KiB
 * leaves room for one field at its longest (4096 characters, shared/unsafe-strings.ts) in UTF-8.
 */
const MAX_BODY_BYTES = 16 * 1024;
export const REQUEST_ID_HEADER = "X-Request-Id";
export const BODY_TOO_LARGE_MESSAGE = "Request body too large";

export interface AppDeps {
  core: CoreGateway;
  cookieSealer: CookieSealer;
  /** The `defguard_proxy::http` logger. */
  log: Logger;
  /** Counts requests by route and status when the metrics listener is on. */
  metrics?: ProxyMetrics;
}

export interface AppOptions {
  /**
   * Mounts more routes after the API, e.g. `(app, routeDeps) => app.route("/", pagesRoutes(routeDeps))`.
   * They get the Core headers, request ids and error handling of the API.
   */
  extraRoutes?: (app: Hono<AppEnv>, deps: RouteDeps) => void;
}

/**
 * hono's bodyLimit, deciding by Content-Length when the request has one (and no Transfer-Encoding), as
 * hono does, but without touching the body first: asking for `request.body` makes Bun build a stream,
 * and the JSON is then read through it instead of at once. Bodies without a length are counted by hono.
 */
function bodyLimitByLength(maxSize: number, onError: (c: Context<AppEnv>) => Response): MiddlewareHandler<AppEnv> {
  const counted = bodyLimit({ maxSize, onError });
  return async function bodyLimitByLength(c, next) {
    const headers = c.req.raw.headers;
    const length = headers.get("content-length");
    if (length === null || headers.has("transfer-encoding")) return counted(c, next);
    if (Number.parseInt(length, 10) > maxSize) return onError(c);
    await next();
  };
}

/** Health, info and version routes under /api/v1. */
function statusRoutes(core: CoreGateway): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get("/health", (c) => c.text("alive"))
    .get("/health-grpc", (c) => (core.connectedCount > 0 ? c.text("alive") : c.text(NOT_CONNECTED_MESSAGE, 503)))
    .get("/info", (c) => c.json({ version: COMPONENT_VERSION }));
}

/** Builds the web app; no socket is opened here (see server.ts), so tests call `app.request()`. */
export function createApp(config: ProxyConfig, deps: AppDeps, options: AppOptions = {}): Hono<AppEnv> {
  const cookies = createSessionCookies(deps.cookieSealer, { insecure: config.cookie.insecure });
  const routeDeps: RouteDeps = { core: deps.core, cookies };
  const app = new Hono<AppEnv>();
  app.use(requestId({ headerName: REQUEST_ID_HEADER }));
  app.use(coreHeaders(deps.core));
  installEdgeGuards(app, config, deps.metrics);
  app.use("/api/*", bodyLimitByLength(MAX_BODY_BYTES, (c) => c.json({ error: BODY_TOO_LARGE_MESSAGE }, 413)));
  installSecretLimits(app, config, cookies);
  app.route("/api/v1", statusRoutes(deps.core));
  app.route("/api/v1/enrollment", enrollmentRoutes(routeDeps));
  app.route("/api/v1/password-reset", passwordResetRoutes(routeDeps));
  app.route("/api/v1/client-mfa", clientMfaRoutes(routeDeps));
  app.route("/api/v1/poll", pollingRoutes(routeDeps));
  options.extraRoutes?.(app, routeDeps);
  app.notFound(handleNotFound);
  app.onError(createErrorHandler(deps.log));
  return app;
}
