// HEALTH_PORT: Defguard gateway's health check, `GET /health` → 200 `alive` while connected to the Core,
// 503 `Not connected to core` otherwise (for a container's or a load balancer's health check).
import type { Logger } from "../shared/logger.ts";

export interface HealthServer {
  port: number;
  stop(): Promise<void>;
}

/** Listens on `host:port` (port 0: a free one); `connected` is asked at each request. */
export function startHealthServer(host: string, port: number, connected: () => boolean, log: Logger): HealthServer {
  const server = Bun.serve({
    hostname: host,
    port,
    fetch(request) {
      if (new URL(request.url).pathname !== "/health") return new Response("Not found", { status: 404 });
      return connected() ? new Response("alive") : new Response("Not connected to core", { status: 503 });
    },
  });
  log.info(`Health check listening on ${host}:${server.port}`);
  return { port: server.port!, stop: () => server.stop(true) };
}
