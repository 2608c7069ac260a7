// The Core's Prometheus metrics: link requests by payload kind and outcome with their durations, each
// proxy link's state, connections and disconnections (reconnects), requests in flight, the mail outbox
// depth, and the process basics. Served by shared/metrics-server.ts on DEFGUARD_METRICS_PORT.
import type postgres from "postgres";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { AppError, GrpcStatus } from "../shared/errors.ts";
import type { HandlerObserver } from "./handler-observers.ts";
import { countConnectedGateways } from "./gateway/gateway-records.ts";
import type { GatewayCounts } from "./gateway/gateway-service.ts";
import type { ProxyLink } from "./proxy-link.ts";

/** Handler durations: most answer in a few ms; password hashing (Argon2) takes a few hundred. */
const DURATION_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const OUTBOX_STATES = ["pending", "sending", "failed"] as const;

export interface CoreMetrics {
  registry: Registry;
  /** Counts and times each link request the flows handled (see observeHandlers). */
  observer: HandlerObserver;
  /** Follows the links' state, connections and pending requests. */
  watchLinks(links: ProxyLink[]): void;
  /** Counts the gateways connected to this core and their peers at each scrape. */
  watchGateways(counts: () => GatewayCounts): void;
}

/** The gRPC code name of an outcome: OK, or the AppError's code, or INTERNAL for anything unexpected. */
function outcomeCode(error: unknown): string {
  if (!(error instanceof AppError)) return "INTERNAL";
  return GrpcStatus[error.code] ?? String(error.code);
}

function linkGauges(registry: Registry, links: () => ProxyLink[]): void {
  new Gauge({
    name: "defguard_core_proxy_connected",
    help: "1 while the link to this proxy is connected, else 0",
    labelNames: ["proxy"] as const,
    registers: [registry],
    collect() {
      for (const link of links()) this.set({ proxy: link.label }, link.state === "connected" ? 1 : 0);
    },
  });
  new Gauge({
    name: "defguard_core_pending_requests",
    help: "Requests received from proxies and not answered yet",
    registers: [registry],
    collect() {
      this.set(links().reduce((sum, link) => sum + link.pending, 0));
    },
  });
}

function outboxGauge(registry: Registry, sql: postgres.Sql): void {
  new Gauge({
    name: "defguard_core_mail_outbox_depth",
    help: "Mails in the outbox by state: pending and sending are waiting to go out, failed were given up",
    labelNames: ["state"] as const,
    registers: [registry],
    async collect() {
      try {
        const rows = await sql<{ state: string; count: number }[]>`
          SELECT state, count(*)::int AS count FROM mail_outbox WHERE state <> 'sent' GROUP BY state`;
        for (const state of OUTBOX_STATES) this.set({ state }, rows.find((r) => r.state === state)?.count ?? 0);
      } catch {
        // Database down: the scrape still answers (with the last known depth); /api/v1/health says why.
      }
    },
  });
}

function gatewayGauges(registry: Registry, sql: postgres.Sql, counts: () => GatewayCounts | undefined): void {
  new Gauge({
    name: "defguard_core_gateways_connected",
    help: "Gateways whose updates stream is open on this core",
    registers: [registry],
    collect() {
      this.set(counts()?.connected ?? 0);
    },
  });
  new Gauge({
    name: "defguard_core_gateways_connected_all_cores",
    help: "Gateways connected to any core, as the database records them (a dead core's stop counting once its stamps run out)",
    registers: [registry],
    async collect() {
      try {
        this.set(await countConnectedGateways(sql));
      } catch {
        // Database down: the scrape still answers; /api/v1/health says why.
      }
    },
  });
  new Gauge({
    name: "defguard_core_gateway_peers",
    help: "Peers the gateways connected to this core were given",
    registers: [registry],
    collect() {
      this.set(counts()?.peers ?? 0);
    },
  });
  new Gauge({
    name: "defguard_core_vpn_clients_connected",
    help: "Devices whose last handshake is younger than their network's peer_disconnect_threshold (all cores)",
    registers: [registry],
    async collect() {
      try {
        const [row] = await sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM network_devices nd JOIN networks n ON n.id = nd.network_id
          WHERE nd.last_handshake > now() - make_interval(secs => n.peer_disconnect_threshold)`;
        this.set(row!.n);
      } catch {
        // Database down: the scrape still answers; /api/v1/health says why.
      }
    },
  });
}

/** A registry of its own per Core; `sql` answers the outbox depth at each scrape. */
export function createCoreMetrics(sql: postgres.Sql): CoreMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let watched: ProxyLink[] = [];
  let gatewayCounts: (() => GatewayCounts) | undefined;
  const requests = new Counter({
    name: "defguard_core_link_requests_total",
    help: "Requests from proxies handled by the flows, by payload kind and outcome (gRPC code name)",
    labelNames: ["kind", "code"] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "defguard_core_link_request_duration_seconds",
    help: "Time the flows took to answer a request, by payload kind",
    labelNames: ["kind"] as const,
    buckets: DURATION_BUCKETS_S,
    registers: [registry],
  });
  const connections = new Counter({ name: "defguard_core_proxy_connections_total", help: "Connections made to each proxy (1 + reconnects)", labelNames: ["proxy"] as const, registers: [registry] });
  const disconnections = new Counter({ name: "defguard_core_proxy_disconnections_total", help: "Connections to each proxy that were lost", labelNames: ["proxy"] as const, registers: [registry] });
  linkGauges(registry, () => watched);
  outboxGauge(registry, sql);
  gatewayGauges(registry, sql, () => gatewayCounts?.());
  return {
    registry,
    observer(handled) {
      requests.inc({ kind: handled.kind, code: handled.outcome.ok ? "OK" : outcomeCode(handled.outcome.error) });
      durations.observe({ kind: handled.kind }, handled.durationMs / 1000);
    },
    watchGateways(counts) {
      gatewayCounts = counts;
    },
    watchLinks(links) {
      watched = links;
      for (const link of links) {
        link.on("connected", () => connections.inc({ proxy: link.label }));
        link.on("disconnected", () => disconnections.inc({ proxy: link.label }));
      }
    },
  };
}
