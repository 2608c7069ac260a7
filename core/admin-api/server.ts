// The admin API's HTTP listener on DEFGUARD_HTTP_BIND_ADDRESS:DEFGUARD_HTTP_PORT.
import type { Hono } from "hono";
import type { Logger } from "../../shared/logger.ts";
import type { AdminEnv } from "./deps.ts";

export interface AdminServer {
  /** The bound port (the real one when 0 was asked). */
  port: number;
  /** `http://host:port`, for logs and tests. */
  url: string;
  /** Stops accepting connections and waits for requests in flight. */
  stop(): Promise<void>;
}

export interface AdminServerOptions {
  app: Hono<AdminEnv>;
  host: string;
  port: number;
  log: Logger;
}

/** Listens until stop(); throws when the address cannot be bound (e.g. EADDRINUSE). */
export function startAdminServer(options: AdminServerOptions): AdminServer {
  const server = Bun.serve({ hostname: options.host, port: options.port, fetch: options.app.fetch });
  const port = server.port!;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  options.log.info(`Admin API listening on ${url}`);
  return {
    port,
    url,
    async stop() {
      await server.stop();
    },
  };
}
