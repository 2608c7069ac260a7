// Starts the whole Proxy in this process (gRPC for Cores, HTTP for users) and returns handles that stop
// it in order. main.ts uses it with the real environment; tests use it on port 0.
import type { Hono } from "hono";
import { unavailable } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { COMPONENT_VERSION } from "../shared/version.ts";
import type { ProxyConfig } from "./config.ts";
import { type CookieSealer, createCookieSealer } from "./cookie-seal.ts";
import { CoreLinks } from "./core-links.ts";
import { type GrpcServerHandle, startGrpcServer } from "./grpc-server.ts";
import type { AppEnv } from "./http/app-env.ts";
import { type AppOptions, createApp } from "./http/app.ts";
import { type HttpServerHandle, startHttpServer } from "./http/server.ts";
import { createProxyMetrics } from "./metrics.ts";
import { type MetricsServerHandle, startMetricsServer } from "../shared/metrics-server.ts";

export const SHUTDOWN_MESSAGE = "Defguard proxy is shutting down";

export interface ProxyHandle {
  links: CoreLinks;
  app: Hono<AppEnv>;
  grpc: GrpcServerHandle;
  http: HttpServerHandle;
  grpcPort: number;
  httpPort: number;
  /** The /metrics listener's port when DEFGUARD_PROXY_METRICS_PORT is set. */
  metricsPort?: number;
  /** Stops accepting HTTP, fails what is pending with 503, ends every Core stream, closes both servers. */
  stop(): Promise<void>;
}

/** Thrown when a port cannot be bound; names the variable to change. */
export class BindError extends Error {
  constructor(what: string, variable: string, cause: unknown) {
    super(`cannot listen for ${what} (${variable}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "BindError";
  }
}

function warnAboutRemovedSettings(config: ProxyConfig, log: Logger): void {
  if (config.removedUpstreamUrl !== undefined) {
    log.warn(
      "DEFGUARD_PROXY_UPSTREAM_GRPC_URL is set but was removed: the Proxy no longer connects to Core; Core now connects to the Proxy. " +
        "Remove it here and set DEFGUARD_PROXY_URL on the Core to this proxy's gRPC address instead.",
    );
  }
}

function cookieSealer(config: ProxyConfig, log: Logger): CookieSealer {
  const sealer = createCookieSealer(config.cookie.key);
  if (sealer.ephemeral) {
    log.warn(
      "DEFGUARD_PROXY_COOKIE_KEY is unset: session cookies use a random key, so a restart of this proxy ends every enrollment and password-reset session (set the same key on every proxy)",
    );
  }
  return sealer;
}

/**
 * Starts the Proxy. `logger` is the `defguard_proxy` logger; `options.extraRoutes` mounts more routes.
 * Throws TlsConfigError (bad TLS settings, naming the variable) or BindError.
 */
export async function startProxy(config: ProxyConfig, logger: Logger, options: AppOptions = {}): Promise<ProxyHandle> {
  const serverLog = logger.child("defguard_proxy::server");
  serverLog.info("Starting Defguard proxy server");
  serverLog.info(`Defguard proxy version ${COMPONENT_VERSION}`);
  warnAboutRemovedSettings(config, serverLog);
  const sealer = cookieSealer(config, serverLog);
  const links = new CoreLinks({ timeoutMs: config.coreTimeoutMs, log: logger });
  const grpc = await startGrpcServer(config, links, serverLog, logger).catch((err: unknown) => {
    if (err instanceof TlsConfigError) throw err;
    throw new BindError("Cores on gRPC", "DEFGUARD_GRPC_BIND_ADDRESS / DEFGUARD_PROXY_GRPC_PORT", err);
  });
  const metrics = config.metricsPort !== undefined ? createProxyMetrics(links) : undefined;
  const app = createApp(config, { core: links, cookieSealer: sealer, log: logger.child("defguard_proxy::http"), metrics }, options);
  let http: HttpServerHandle;
  try {
    http = startHttpServer(app, { ...config.http, coreTimeoutMs: config.coreTimeoutMs }, serverLog);
  } catch (err) {
    await grpc.stop();
    throw new BindError("HTTP", "DEFGUARD_HTTP_BIND_ADDRESS / DEFGUARD_PROXY_HTTP_PORT", err);
  }
  let metricsServer: MetricsServerHandle | undefined;
  try {
    if (metrics) metricsServer = startMetricsServer(metrics.registry, { host: config.http.host, port: config.metricsPort! }, serverLog);
  } catch (err) {
    await Promise.all([grpc.stop(), http.stop(true)]);
    throw new BindError("metrics", "DEFGUARD_PROXY_METRICS_PORT", err);
  }
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const draining = http.stop(false);
      links.closeAll(unavailable(SHUTDOWN_MESSAGE), SHUTDOWN_MESSAGE);
      await grpc.stop();
      await http.stop(true);
      await draining;
      await metricsServer?.stop();
      serverLog.info("Defguard proxy stopped");
    })();
    return stopping;
  };
  return { links, app, grpc, http, grpcPort: grpc.port, httpPort: http.port, metricsPort: metricsServer?.port, stop };
}
