// The Proxy's Prometheus metrics: HTTP requests by route and status with their durations, the Cores
// connected, connections since start (reconnects), requests waiting for a Core, and the process basics
// (resident memory, open descriptors). Served by shared/metrics-server.ts on DEFGUARD_PROXY_METRICS_PORT.
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AppEnv } from "./http/app-env.ts";

/** Request durations: a proxied request takes a few ms; 504s take the Core timeout (5 s by default). */
const DURATION_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Routes nobody registered (404s) share one label, so random paths cannot blow up the label set. */
export const UNMATCHED_ROUTE = "unmatched";

/** What the metrics read from the Core links (CoreLinks has all of it). */
export interface LinkStats {
  readonly connectedCount: number;
  readonly pendingCount: number;
  readonly connectionsTotal: number;
}

export interface ProxyMetrics {
  registry: Registry;
  /** Counts and times every HTTP request; put it outermost so it sees the final status. */
  httpMiddleware(): MiddlewareHandler<AppEnv>;
}

/** The registered route pattern that handles the request (`/api/v1/poll`), or UNMATCHED_ROUTE. */
function routeLabel(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return handlers.at(-1)?.path ?? UNMATCHED_ROUTE;
}

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** A registry of its own per Proxy (several run in one test process). */
export function createProxyMetrics(links: LinkStats): ProxyMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "defguard_proxy_http_requests_total",
    help: "HTTP requests answered, by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "defguard_proxy_http_request_duration_seconds",
    help: "Time from receiving an HTTP request to its answer, by method and route",
    labelNames: ["method", "route"] as const,
    buckets: DURATION_BUCKETS_S,
    registers: [registry],
  });
  new Gauge({
    name: "defguard_proxy_core_connected",
    help: "Cores connected to this proxy now (0: requests get 503)",
    registers: [registry],
    collect() {
      this.set(links.connectedCount);
    },
  });
  new Counter({
    name: "defguard_proxy_core_connections_total",
    help: "Core connections accepted since start; growing faster than 1 per Core means reconnects",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(links.connectionsTotal);
    },
  });
  new Gauge({
    name: "defguard_proxy_pending_requests",
    help: "Requests sent to a Core and not answered yet",
    registers: [registry],
    collect() {
      this.set(links.pendingCount);
    },
  });
  return {
    registry,
    httpMiddleware: () =>
      async function httpMetrics(c, next) {
        const started = performance.now();
        await next();
        const labels = { method: KNOWN_METHODS.has(c.req.method) ? c.req.method : "other", route: routeLabel(c) };
        requests.inc({ ...labels, status: String(c.res.status) });
        durations.observe(labels, (performance.now() - started) / 1000);
      },
  };
}
