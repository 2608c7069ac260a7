// The gateway's entry point (`bun run gateway`): wiring only. Checks the host, runs PRE_UP, creates the
// WireGuard interface (and the masquerade table), links to the Core; on SIGINT/SIGTERM: PRE_DOWN,
// interface removed (wireguard-go stopped with it) and the table with it, POST_DOWN.
import { loadConfigOrExit } from "../shared/env.ts";
import { type Logger, createLogger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { COMPONENT_VERSION } from "../shared/version.ts";
import { runShell } from "./command.ts";
import { type GatewayConfig, loadGatewayConfig } from "./config.ts";
import { CoreLink, coreCredentials } from "./core-link.ts";
import { startHealthServer } from "./health-server.ts";
import { InterfaceSync } from "./interface-sync.ts";
import { Masquerade } from "./masquerade.ts";
import { missingForInterface, missingForMasquerade, readHostFacts } from "./preflight.ts";
import { WireGuardInterface } from "./wireguard-interface.ts";

const SERVICE = "defguard-gateway";

/** Runs one of PRE_UP/POST_UP/PRE_DOWN/POST_DOWN when set; a failure is logged, not fatal. */
async function runHook(name: string, command: string | undefined, log: Logger): Promise<void> {
  if (!command) return;
  log.info(`Running ${name}: ${command}`);
  const { code, output } = await runShell(command);
  if (code !== 0) log.error(`${name} exited with ${code}${output ? `: ${output}` : ""}`);
  else if (output) log.debug(`${name}: ${output}`);
}

function fail(message: string): never {
  process.stderr.write(`${SERVICE}: cannot start, ${message}\n`);
  process.exit(1);
}

/**
 * DEFGUARD_MASQUERADE on: the table set up once the interface exists (a failure removes the interface
 * and stops the gateway). Off: a table a killed gateway left is removed, and there is none to keep.
 */
async function setUpMasquerade(config: Readonly<GatewayConfig>, wg: WireGuardInterface, log: Logger): Promise<Masquerade | undefined> {
  const nat = new Masquerade(config.ifname, log);
  if (!config.masquerade) {
    await nat.removeLeftover();
    return undefined;
  }
  try {
    await nat.apply();
  } catch (err) {
    await wg.destroy();
    fail(`DEFGUARD_MASQUERADE: could not set up masquerading: ${err instanceof Error ? err.message : String(err)}`);
  }
  return nat;
}

async function main(): Promise<void> {
  const config: Readonly<GatewayConfig> = loadConfigOrExit(SERVICE, () => loadGatewayConfig(process.env));
  const log = createLogger({ level: config.log.level, format: config.log.format, target: "defguard_gateway" });
  const { ifname, grpcUrl, userspace, masquerade } = config;
  log.info(`Starting Defguard gateway ${COMPONENT_VERSION}`, { interface: ifname, core: grpcUrl.origin, userspace, masquerade });
  try {
    coreCredentials(config); // a bad DEFGUARD_GRPC_CA stops startup here, naming the variable
  } catch (err) {
    if (err instanceof TlsConfigError) fail(err.message);
    throw err;
  }
  const facts = readHostFacts();
  const missing = [...missingForInterface(facts, userspace), ...(masquerade ? missingForMasquerade(facts) : [])];
  if (missing.length > 0) fail(`this host lacks what the gateway needs:\n${missing.map((m) => `  - ${m}`).join("\n")}`);

  await runHook("PRE_UP", config.hooks.preUp, log);
  const wg = await WireGuardInterface.create({ ifname, userspace, log: log.child("defguard_gateway::wireguard") }).catch(
    (err: unknown) => fail(`could not create interface ${ifname}: ${err instanceof Error ? err.message : String(err)}`),
  );
  const nat = await setUpMasquerade(config, wg, log.child("defguard_gateway::masquerade"));
  const sync = new InterfaceSync(wg, log.child("defguard_gateway::wireguard"), nat);
  const link = new CoreLink({
    config,
    sync,
    wg,
    log: log.child("defguard_gateway::gateway"),
    onFirstConfiguration: () => runHook("POST_UP", config.hooks.postUp, log),
  });

  const health = config.health ? startHealthServer(config.health.host, config.health.port, () => link.connected, log.child("defguard_gateway::server")) : undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`Received ${signal}, shutting down`);
    link.stop();
    await health?.stop();
    await runHook("PRE_DOWN", config.hooks.preDown, log);
    await wg.destroy();
    await nat?.remove();
    await runHook("POST_DOWN", config.hooks.postDown, log);
    log.info("Defguard gateway stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  link.start();
}

if (import.meta.main) await main();
