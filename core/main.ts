// The Core's entry point (`bun run core`): wiring only. Reads the environment, starts the Core, stops it
// in order on SIGINT/SIGTERM (see start-core.ts).
import { loadConfigOrExit } from "../shared/env.ts";
import { createLogger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { COMPONENT_VERSION } from "../shared/version.ts";
import { CliSocketError } from "./cli/core-socket.ts";
import { loadCoreConfig } from "./config.ts";
import { GatewayBindError } from "./gateway/gateway-server.ts";
import { AdminBindError, startCore } from "./start-core.ts";
import { DefaultAdminPasswordError } from "./users/bootstrap-admin.ts";

const SERVICE = "defguard-core";

async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE, () => loadCoreConfig(process.env));
  const log = createLogger({ level: config.log.level, format: config.log.format, target: "defguard" });
  log.info(`Starting Defguard core ${COMPONENT_VERSION}`);
  const starting = startCore(config, log);
  // Installed before startup finishes, so that a signal during startup still stops the Core in order.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}, shutting down`);
    const core = await starting.catch(() => undefined);
    await core?.stop();
    log.info("Defguard core stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  try {
    await starting;
  } catch (err) {
    if (err instanceof TlsConfigError || err instanceof AdminBindError || err instanceof CliSocketError || err instanceof GatewayBindError || err instanceof DefaultAdminPasswordError) {
      process.stderr.write(`${SERVICE}: cannot start, ${err.message}\n`);
    } else {
      log.error(`Cannot start: ${err instanceof Error ? err.message : String(err)}`);
    }
    process.exit(1);
  }
}

if (import.meta.main) await main();
