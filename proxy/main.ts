// `bun run proxy`: wiring only. Reads the environment, starts the Proxy, stops it cleanly on SIGINT/SIGTERM.
import { loadConfigOrExit } from "../shared/env.ts";
import { createLogger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { loadProxyConfig } from "./config.ts";
import { mountPages } from "./pages/routes.ts";
import { BindError, startProxy } from "./start-proxy.ts";

export { startProxy, type ProxyHandle } from "./start-proxy.ts";

const SERVICE = "defguard proxy";

async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE, () => loadProxyConfig(process.env));
  const logger = createLogger({ level: config.log.level, format: config.log.format, target: "defguard_proxy" });
  // Handlers go in before startup, so a signal during startup still ends in a clean stop and exit 0.
  let signalled: string | undefined;
  let onSignal = (signal: string) => void (signalled ??= signal);
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  const proxy = await startProxy(config, logger, { extraRoutes: mountPages }).catch((err: unknown) => {
    if (err instanceof BindError || err instanceof TlsConfigError) {
      process.stderr.write(`${SERVICE}: cannot start, ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  });
  let stopping = false;
  onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    logger.child("defguard_proxy::server").info(`Received ${signal}, shutting down`);
    void proxy.stop().then(() => process.exit(0));
  };
  if (signalled) onSignal(signalled);
}

if (import.meta.main) await main();
