// The Prometheus listener both services may open on a port of its own (off by default): GET /metrics in
// the text exposition format, nothing else. Kept off the public port so the internet never sees it.
import type { Registry } from "prom-client";
import type { Logger } from "./logger.ts";

export interface MetricsServerHandle {
  port: number;
  /** `http://host:port/metrics`, for logs and tests. */
  url: string;
  stop(): Promise<void>;
}

/** Serves `registry` on `host:port` (0 picks a free port); throws when the port cannot be bound. */
export function startMetricsServer(registry: Registry, options: { host: string; port: number }, log: Logger): MetricsServerHandle {
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname !== "/metrics") return new Response("Not found", { status: 404 });
      if (request.method !== "GET" && request.method !== "HEAD") return new Response("Method not allowed", { status: 405 });
      try {
        return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType } });
      } catch (err) {
        log.error("Collecting metrics failed", { error: err instanceof Error ? err.message : String(err) });
        return new Response("Collecting metrics failed", { status: 500 });
      }
    },
  });
  const port = server.port ?? options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}/metrics`;
  log.info(`Metrics are served on ${url}`);
  return { port, url, stop: () => server.stop(true) };
}
