// Starts the whole Core in this process (database, mail worker, flows, admin API, proxy links) and returns
// a handle that stops it in order. main.ts uses it with the real environment.
import type { Logger } from "../shared/logger.ts";
import { startAdminApi } from "./admin-api/start.ts";
import type { AdminServer } from "./admin-api/server.ts";
import type { AdminEnv } from "./admin-api/deps.ts";
import { type CliSocket, startCliSocket } from "./cli/core-socket.ts";
import type { CoreConfig } from "./config.ts";
import { type Database, openDatabase } from "./db/connection.ts";
import { createEnrollmentNotifier } from "./flows/notification-mails.ts";
import { gatewayServerCredentials } from "./gateway/gateway-server.ts";
import { type Gateways, startGateways } from "./gateway/start-gateways.ts";
import { createHandlerDeps, createHandlers } from "./handlers.ts";
import { prepareSecretsAtRest } from "./mfa/secrets-at-rest.ts";
import { mailAdminRoutes } from "./mail/mail-admin-routes.ts";
import { outboxRoutes } from "./mail/outbox-routes.ts";
import { smtpSettingsRoutes } from "./mail/smtp-settings-routes.ts";
import { type MailWorker, createMailWorker } from "./mail/worker.ts";
import type { ProxyLink } from "./proxy-link.ts";
import { type Observability, createObservability } from "./observability.ts";
import { countConnected, createProxyLinks, prepareProxyLinks, proxyEndpoints } from "./proxy-links.ts";

export interface CoreHandle {
  db: Database;
  admin: AdminServer;
  links: ProxyLink[];
  /** The gateway side: its server's port when DEFGUARD_GATEWAY_SECRET is set, the peer event bus. */
  gateways: Gateways;
  /** The /metrics listener's port when DEFGUARD_METRICS_PORT is set. */
  metricsPort?: number;
  /**
   * Stops in order: each link stops taking requests, answers or fails those in flight and closes its
   * call; then the CLI socket, the admin API, the mail worker, and the database.
   */
  stop(): Promise<void>;
}

/** Tunables that are constants in production and shortened by tests. */
export interface StartCoreOptions {
  /** How often MFA expiry and VPN session ends are checked (default once a minute). */
  vpnMaintenanceIntervalMs?: number;
}

/** Thrown when the admin API cannot listen; names the variables to change. */
export class AdminBindError extends Error {
  constructor(cause: unknown) {
    super(`cannot listen for the admin API (DEFGUARD_HTTP_BIND_ADDRESS / DEFGUARD_HTTP_PORT): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "AdminBindError";
  }
}

async function startAdmin(
  config: CoreConfig,
  db: Database,
  mailWorker: MailWorker,
  links: ProxyLink[],
  gateways: Gateways,
  log: Logger,
  observability: Observability,
): Promise<AdminServer> {
  const wakeUp = () => mailWorker.wakeUp();
  const sendEnrollmentNotification = createEnrollmentNotifier({ config, sql: db.sql, log: log.child("defguard::mail"), mailWorker });
  try {
    return await startAdminApi({
      config,
      sql: db.sql,
      log: log.child("defguard::web"),
      hooks: {
        sendEnrollmentNotification,
        extraRoutes: [outboxRoutes<AdminEnv>({ sql: db.sql }), mailAdminRoutes({ sql: db.sql, config, wakeUp }), smtpSettingsRoutes({ sql: db.sql, config, wakeUp })],
        proxyLinks: () => countConnected(links),
        audit: observability.audit,
        events: gateways.events,
        gateways: { tokens: gateways.tokens, grpcUrl: config.gateway.url, counts: gateways.counts },
        mailWorker,
      },
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    throw code === "EADDRINUSE" || code === "EACCES" || code === "EADDRNOTAVAIL" ? new AdminBindError(err) : err;
  }
}

/**
 * With the embedded database only this process may open it, so `bun run cli` sends its commands here
 * (cli/core-socket.ts). With PostgreSQL the CLI opens the database itself: no socket.
 */
async function openCliSocket(config: CoreConfig, db: Database, log: Logger): Promise<CliSocket | undefined> {
  if (config.db.kind !== "embedded") return undefined;
  try {
    return startCliSocket({ dataDir: config.db.dataDir, sql: db.sql, config, log: log.child("defguard::cli") });
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * Starts the Core; `log` is the `defguard` logger. Throws TlsConfigError (bad TLS settings, before
 * anything is opened), a database error, SecretKeyError (DEFGUARD_SECRET_KEY does not fit the stored secrets), CliSocketError, GatewayBindError or AdminBindError; what was opened is
 * closed before it throws.
 */
export async function startCore(config: CoreConfig, log: Logger, options: StartCoreOptions = {}): Promise<CoreHandle> {
  const prepared = prepareProxyLinks(proxyEndpoints(config));
  // Bad gateway TLS files stop startup before anything is opened, as the proxy links' do.
  if (config.gateway.secret) gatewayServerCredentials(config.gateway);
  const db = await openDatabase(config.db, log.child("defguard::db"));
  try {
    await prepareSecretsAtRest(db.sql, config, log.child("defguard::db"));
  } catch (err) {
    await db.close();
    throw err;
  }
  const cliSocket = await openCliSocket(config, db, log);
  const mailWorker = createMailWorker({ sql: db.sql, config, log: log.child("defguard::mail") });
  const handlerLog = log.child("defguard::handlers");
  const handlerDeps = createHandlerDeps(config, db, handlerLog, mailWorker);
  const observability = createObservability(config, db, handlerDeps.clientMfaTokens, log);
  let gateways: Gateways;
  try {
    gateways = await startGateways({
      config: config.gateway,
      db,
      audit: observability.audit,
      log: log.child("defguard::gateway"),
      maintenanceIntervalMs: options.vpnMaintenanceIntervalMs,
    });
  } catch (err) {
    await cliSocket?.stop();
    await db.close();
    throw err;
  }
  if (gateways.counts) observability.metrics?.watchGateways(gateways.counts);
  handlerDeps.events = gateways.events;
  const handlers = observability.observe(createHandlers(handlerDeps));
  // Created (not started) before the admin API, whose health route counts them.
  const links = createProxyLinks(prepared, handlers, log.child("defguard::grpc"), handlerLog);
  observability.watch(links);
  let admin: AdminServer;
  let metricsPort: number | undefined;
  try {
    admin = await startAdmin(config, db, mailWorker, links, gateways, log, observability);
    try {
      metricsPort = observability.listen()?.port;
    } catch (err) {
      await admin.stop();
      throw new Error(`cannot listen for metrics (DEFGUARD_METRICS_PORT): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  } catch (err) {
    await cliSocket?.stop();
    await gateways.stop();
    await db.close();
    throw err;
  }
  mailWorker.start();
  if (links.length === 0) log.info("DEFGUARD_PROXY_URL is not set: the core runs without a link to a proxy");
  for (const link of links) link.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(links.map((link) => link.stop()));
      await cliSocket?.stop();
      await gateways.stop();
      await admin.stop();
      await mailWorker.stop();
      await observability.stop();
      await db.close();
    })());
  return { db, admin, links, gateways, metricsPort, stop };
}
