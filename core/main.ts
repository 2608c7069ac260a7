// The Core's entry point (`bun run core`): wiring only. Config, logger, database, flows, proxy links;
// an ordered shutdown on SIGINT/SIGTERM.
import { loadConfigOrExit } from "../shared/env.ts";
import { createLogger, type Logger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { COMPONENT_VERSION } from "../shared/version.ts";
import { loadCoreConfig } from "./config.ts";
import { type Database, openDatabase } from "./db/connection.ts";
import { createHandlerDeps, createHandlers } from "./handlers.ts";
import { createProxyLinks, prepareProxyLinks, proxyEndpoints } from "./proxy-links.ts";
import type { ProxyLink } from "./proxy-link.ts";

const SERVICE = "defguard-core";

function exitWithStartupError(err: unknown, log: Logger): never {
  if (err instanceof TlsConfigError) {
    process.stderr.write(`${SERVICE}: cannot start, ${err.message}\n`);
  } else {
    log.error(`Cannot start: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.exit(1);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE, () => loadCoreConfig(process.env));
  const log = createLogger({ level: config.log.level, format: config.log.format, target: "defguard" });
  log.info(`Starting Defguard core ${COMPONENT_VERSION}`);

  let db: Database;
  let links: ProxyLink[];
  try {
    const prepared = prepareProxyLinks(proxyEndpoints(config));
    db = await openDatabase(config.db, log.child("defguard::db"));
    const handlerLog = log.child("defguard::handlers");
    const handlers = createHandlers(createHandlerDeps(config, db, handlerLog));
    links = createProxyLinks(prepared, handlers, log.child("defguard::grpc"), handlerLog);
  } catch (err) {
    exitWithStartupError(err, log);
  }
  // ADMIN API: start it here once core/admin-api exists (bootstrapAdmin(db, config), startAdminServer(...)),
  // and stop it in `shutdown` below, after the links and before the database.

  if (links.length === 0) log.info("DEFGUARD_PROXY_URL is not set: the core runs without a link to a proxy");
  for (const link of links) link.start();

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info(`Received ${signal}, shutting down`);
    // Each link stops taking requests, answers or fails those in flight, then closes its call and channel.
    await Promise.all(links.map((link) => link.stop()));
    await db.close();
    log.info("Defguard core stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
