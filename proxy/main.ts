// `bun run proxy`: wiring only. Reads the environment, starts the Proxy, stops it cleanly on SIGINT/SIGTERM.
import { loadConfigOrExit } from "../shared/env.ts";
import { createLogger } from "../shared/logger.ts";
import { loadProxyConfig } from "./config.ts";
import { BindError, type ProxyHandle, startProxy } from "./start-proxy.ts";

export { startProxy, type ProxyHandle } from "./start-proxy.ts";

const SERVICE = "defguard proxy";

async function main(): Promise<void> {
  const config = loadConfigOrExit(SERVICE, () => loadProxyConfig(process.env));
  const logger = createLogger({ level: config.log.level, format: config.log.format, target: "defguard_proxy" });
  let proxy: ProxyHandle;
  try {
    proxy = await startProxy(config, logger);
  } catch (err) {
    if (err instanceof BindError || (err instanceof Error && err.name === "TlsConfigError")) {
      process.stderr.write(`${SERVICE}: cannot start, ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.child("defguard_proxy::server").info(`Received ${signal}, shutting down`);
    proxy.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (import.meta.main) await main();
