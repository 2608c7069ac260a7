// One call for core/main.ts: the first-start administrator, then the admin API listening.
import type postgres from "postgres";
import type { CoreConfig } from "../config.ts";
import type { Logger } from "../../shared/logger.ts";
import { isLoopbackAddress } from "../../shared/loopback.ts";
import { bootstrapAdmin } from "../users/bootstrap-admin.ts";
import { createAdminApp } from "./app.ts";
import type { AdminAppDeps } from "./deps.ts";
import { type AdminServer, startAdminServer } from "./server.ts";

export interface StartAdminApiOptions {
  config: CoreConfig;
  sql: postgres.Sql;
  log: Logger;
  /** The mail hook, extra admin routes (e.g. the outbox) and link counts, as createAdminApp takes them. */
  hooks?: Pick<AdminAppDeps, "sendEnrollmentNotification" | "extraRoutes" | "proxyLinks" | "audit" | "events" | "gateways" | "mailWorker">;
}

/**
 * Runs bootstrapAdmin (creating `admin` on the first start; while its password is `pass123`, a warning
 * when the admin API listens on loopback only, else DefaultAdminPasswordError), then serves the admin API on DEFGUARD_HTTP_BIND_ADDRESS:DEFGUARD_HTTP_PORT. Stop it with `stop()`
 * before closing the database. Throws when the port cannot be bound.
 */
export async function startAdminApi(options: StartAdminApiOptions): Promise<AdminServer> {
  const { config, sql, log } = options;
  await bootstrapAdmin(sql, config, log, { exposedAt: isLoopbackAddress(config.http.host) ? undefined : config.http.host });
  const app = createAdminApp({ sql, config, log, ...options.hooks });
  return startAdminServer({ app, host: config.http.host, port: config.http.port, log });
}
