// What the admin API needs from the rest of the Core, and the per-request values its middleware sets.
import type { Hono } from "hono";
import type postgres from "postgres";
import type { AuditLog } from "../audit/audit-log.ts";
import type { CoreConfig } from "../config.ts";
import type { ProxyLinkCounts } from "../health.ts";
import type { Logger } from "../../shared/logger.ts";
import type { GatewayCounts } from "../gateway/gateway-service.ts";
import type { GatewayTokens } from "../gateway/gateway-tokens.ts";
import type { PeerEventPublisher } from "../gateway/peer-events.ts";
import type { SessionUser } from "../store/sessions.ts";
import type { StartedEnrollment } from "../users/start-enrollment.ts";

export type AdminApiConfig = Pick<CoreConfig, "cookieInsecure" | "enrollmentUrl" | "timeouts" | "smtp" | "secretKey">;

export interface AdminAppDeps {
  sql: postgres.Sql;
  config: AdminApiConfig;
  log: Logger;
  /**
   * Sends (queues) the invitation mail of `start_enrollment`/`start_desktop` when the admin asked for
   * one with `send_enrollment_notification: true`. Absent: such requests are refused with 400 before a
   * token is made. Errors it throws (AppError) answer the request.
   */
  sendEnrollmentNotification?: (started: StartedEnrollment) => Promise<void>;
  /**
   * More admin-only routes (e.g. the mail outbox), mounted under /api/v1 behind the admin check; their
   * handlers find the caller in `c.get("session")`.
   */
  extraRoutes?: Hono<AdminEnv>[];
  /** The core's proxy links now, for GET /api/v1/health; absent: no proxy configured. */
  proxyLinks?: () => ProxyLinkCounts;
  /** Woken when a mail was queued (the email codes of admin logins); absent: the worker's next poll sends it. */
  mailWorker?: { wakeUp(): void };
  /** The clock of login throttling (tests move it); default Date.now. */
  now?: () => number;
  /** The audit trail: login attempts are recorded and GET /api/v1/audit lists it (admins only). */
  audit?: AuditLog;
  /** Told after each change of who may connect (devices, users, groups, networks); none without it. */
  events?: PeerEventPublisher;
  /** Gateway tokens and counts; absent or without `tokens` when DEFGUARD_GATEWAY_SECRET is unset. */
  gateways?: AdminGateways;
}

export interface AdminGateways {
  tokens?: GatewayTokens;
  /** DEFGUARD_GRPC_URL, answered with each token. */
  grpcUrl: string;
  /** Connected gateways and their peers on this core, for GET /api/v1/health. */
  counts?: () => GatewayCounts;
}

export type AdminEnv = { Variables: { session: SessionUser } };
