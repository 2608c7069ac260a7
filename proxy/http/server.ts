// The socket side of the web app: Bun.serve on the configured address.
import type { Hono } from "hono";
import type { Logger } from "../../shared/logger.ts";
import { hostPort } from "../net-address.ts";
import type { AppEnv } from "./app-env.ts";

/** Bun's idle timeout is at most 255 s. */
const MAX_IDLE_TIMEOUT_S = 255;
/** Margin above the Core timeout, so a slow Core's 504 reaches the client before the socket idles out. */
const IDLE_MARGIN_S = 10;

export interface HttpServerHandle {
  address: string;
  port: number;
  /** Stops accepting; open requests may finish unless `force`. */
  stop(force?: boolean): Promise<void>;
}

/** Seconds of idleness Bun allows a connection, above `coreTimeoutMs`. */
export function idleTimeoutSeconds(coreTimeoutMs: number): number {
  return Math.min(MAX_IDLE_TIMEOUT_S, Math.ceil(coreTimeoutMs / 1000) + IDLE_MARGIN_S);
}

/** Serves `app` on `host:port` (port 0 picks a free one); `log` is `defguard_proxy::server`. */
export function startHttpServer(
  app: Hono<AppEnv>,
  options: { host: string; port: number; coreTimeoutMs: number },
  log: Logger,
): HttpServerHandle {
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    idleTimeout: idleTimeoutSeconds(options.coreTimeoutMs),
    fetch: (request, srv) => app.fetch(request, srv),
  });
  const port = server.port ?? options.port;
  const address = hostPort(options.host, port);
  log.info(`Web server is listening on ${address}`);
  return { address, port, stop: (force = false) => server.stop(force) };
}
