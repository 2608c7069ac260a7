// The Core's observability in one piece for start-core.ts: the audit trail (always on) and the Prometheus
// metrics with their own listener (DEFGUARD_METRICS_PORT), both fed by observing the flows' handlers.
import type { Logger } from "../shared/logger.ts";
import { type MetricsServerHandle, startMetricsServer } from "../shared/metrics-server.ts";
import { type AuditLog, createAuditLog } from "./audit/audit-log.ts";
import { createAuditSubjects } from "./audit/audit-subjects.ts";
import { linkAuditObserver } from "./audit/link-audit.ts";
import type { CoreConfig } from "./config.ts";
import type { Database } from "./db/connection.ts";
import type { HandlerMap } from "./dispatcher.ts";
import type { ClientMfaTokens } from "./flows/client-mfa-token.ts";
import { observeHandlers } from "./handler-observers.ts";
import { type CoreMetrics, createCoreMetrics } from "./metrics.ts";
import type { ProxyLink } from "./proxy-link.ts";

export interface Observability {
  audit: AuditLog;
  metrics?: CoreMetrics;
  /** `handlers`, each observed by the audit trail and the metrics. */
  observe(handlers: HandlerMap): HandlerMap;
  /** Follows the links for the metrics (state, reconnects, pending). */
  watch(links: ProxyLink[]): void;
  /** Opens the /metrics listener when configured; throws when its port cannot be bound. */
  listen(): MetricsServerHandle | undefined;
  /** Waits for audit writes in flight and closes the listener; before the database closes. */
  stop(): Promise<void>;
}

/** `log` is the `defguard` logger. */
export function createObservability(config: CoreConfig, db: Database, clientMfaTokens: ClientMfaTokens, log: Logger): Observability {
  const audit = createAuditLog(db.sql, log.child("defguard::audit"));
  const metrics = config.metricsPort !== undefined ? createCoreMetrics(db.sql) : undefined;
  const observers = [linkAuditObserver(audit, createAuditSubjects(db.sql, clientMfaTokens)), ...(metrics ? [metrics.observer] : [])];
  let server: MetricsServerHandle | undefined;
  return {
    audit,
    metrics,
    observe: (handlers) => observeHandlers(handlers, observers),
    watch: (links) => metrics?.watchLinks(links),
    listen() {
      if (!metrics || config.metricsPort === undefined) return undefined;
      server = startMetricsServer(metrics.registry, { host: config.http.host, port: config.metricsPort }, log.child("defguard::metrics"));
      return server;
    },
    async stop() {
      await audit.settled();
      await server?.stop();
    },
  };
}
