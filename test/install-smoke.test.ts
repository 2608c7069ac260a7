// Smoke test of the single-host install without Docker: the compose file's `command` for core and proxy
// run as plain processes with the compose file's environment (filled-in .env.example), the service names
// pointed at loopback, the db at the local PostgreSQL (a fresh database), free ports for the fixed ones;
// then the compose file's own health checks must pass, the link must come up, and SIGTERM (what
// `docker compose stop` sends) must stop both with exit code 0.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Compose, type HealthCheck, type Service, ROOT, VARIANTS, filledEnv, loadCompose } from "./install-compose.ts";
import { shellCommands } from "./install-docs.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { freePort } from "./support/ports.ts";
import { type ServiceProcess, WAIT_MS, baseEnv, spawnService } from "./support/services.ts";

setDefaultTimeout(90_000);

const MAINS_MISSING = ["proxy/main.ts", "core/main.ts"].filter((f) => !existsSync(join(ROOT, f)));
if (MAINS_MISSING.length > 0) {
  process.stderr.write(`install-smoke: skipped until ${MAINS_MISSING.join(" and ")} exist\n`);
}
/** The Dockerfile's ENV, which every container has beneath the compose environment. */
const IMAGE_ENV = { NODE_ENV: "production" };
const HEALTH_POLL_MS = 250;
const INSTALL_DOC = "docs/install.md";
/** How docs/install.md addresses the admin API (the port compose publishes on the host's loopback). */
const DOC_CORE_URL = "http://localhost:8000";
const DOC_CLI = "docker compose exec core bun run cli ";
const ENROLLMENT_LINK = /^http:\/\/localhost:8080\/?\?token=[A-Za-z0-9]{32}$/m;

function parseSeconds(duration: string | undefined, fallback: number): number {
  const m = /^(\d+)(ms|s|m)$/.exec(duration ?? "");
  if (!m) return fallback;
  return Number(m[1]) * (m[2] === "ms" ? 0.001 : m[2] === "m" ? 60 : 1);
}

/** Runs a compose `healthcheck.test` once, as Docker does inside the container: exit code 0 is healthy. */
async function runHealthCheck(check: HealthCheck, env: Record<string, string>): Promise<{ healthy: boolean; output: string }> {
  const t = check.test as string[];
  const argv = t[0] === "CMD-SHELL" ? ["sh", "-c", t[1]!] : t[0] === "CMD" ? t.slice(1) : [];
  if (argv.length === 0) throw new Error(`unsupported healthcheck test: ${JSON.stringify(t)}`);
  if (argv[0] === "bun") argv[0] = process.execPath;
  const child = Bun.spawn(argv, { cwd: ROOT, env: { ...baseEnv(), ...IMAGE_ENV, ...env }, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => child.kill("SIGKILL"), parseSeconds(check.timeout, 30) * 1000);
  const code = await child.exited;
  clearTimeout(timer);
  const output = (await new Response(child.stdout).text()) + (await new Response(child.stderr).text());
  return { healthy: code === 0, output };
}

/** Polls the check until it passes; fails with its last output after the wait. */
async function waitHealthy(name: string, check: HealthCheck | undefined, env: Record<string, string>, service?: ServiceProcess): Promise<void> {
  if (!check) throw new Error(`${name} has no healthcheck`);
  const deadline = Date.now() + WAIT_MS;
  let last = { healthy: false, output: "" };
  while (Date.now() < deadline) {
    last = await runHealthCheck(check, env);
    if (last.healthy) return;
    if (service && !service.running) break;
    await Bun.sleep(HEALTH_POLL_MS);
  }
  throw new Error(`${name} never became healthy; last check said: ${last.output || "(nothing)"}\n${service?.output ?? ""}`);
}

/** Replaces variables the compose file sets; refuses to add one it does not set (a mapping, not an addition). */
function remap(env: Record<string, string>, changes: Record<string, string | undefined>): Record<string, string> {
  const out = { ...env };
  for (const [name, value] of Object.entries(changes)) {
    if (!(name in env)) throw new Error(`the compose environment does not set ${name}`);
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}

/** Bind-mount targets inside the container → the host files they come from (./certs → `certsDir`). */
function mountedFiles(service: Service, certsDir: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const v of service.volumes ?? []) {
    if (typeof v === "object" && v.type === "bind") map.set(v.target, join(certsDir, v.source.replace(/^\.\/certs\//, "")));
  }
  return map;
}

function withMountedPaths(env: Record<string, string>, mounts: Map<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, mounts.get(v) ?? v]));
}

function command(service: Service): { script: string; args: string[] } {
  const [bun, script, ...args] = service.command ?? [];
  expect(bun).toBe("bun");
  return { script: script!, args };
}

interface Ports {
  grpc: number;
  proxyHttp: number;
  coreHttp: number;
}

function localProxyEnv(compose: Compose, ports: Ports, certsDir: string): Record<string, string> {
  const proxy = compose.services.proxy!;
  const env = remap(proxy.environment!, {
    DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_GRPC_PORT: String(ports.grpc),
    DEFGUARD_PROXY_HTTP_PORT: String(ports.proxyHttp),
  });
  return withMountedPaths(env, mountedFiles(proxy, certsDir));
}

function localCoreEnv(compose: Compose, ports: Ports, certsDir: string, db: TestDatabase): Record<string, string> {
  const core = compose.services.core!;
  const url = new URL(core.environment!.DEFGUARD_PROXY_URL!);
  expect(url.hostname).toBe("proxy");
  // A TLS name must be one the certificate holds (and Bun's TLS refuses IP addresses): localhost.
  url.hostname = url.protocol === "https:" ? "localhost" : "127.0.0.1";
  url.port = String(ports.grpc);
  const dbChanges =
    db.kind === "postgres"
      ? { DEFGUARD_DB_HOST: db.env.DEFGUARD_DB_HOST, DEFGUARD_DB_PORT: db.env.DEFGUARD_DB_PORT, DEFGUARD_DB_USER: db.env.DEFGUARD_DB_USER, DEFGUARD_DB_NAME: db.env.DEFGUARD_DB_NAME }
      : { DEFGUARD_DB_HOST: undefined };
  const env = remap(core.environment!, {
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_PORT: String(ports.coreHttp),
    DEFGUARD_PROXY_URL: url.origin,
    ...dbChanges,
  });
  return { ...withMountedPaths(env, mountedFiles(core, certsDir)), ...(db.kind === "embedded" ? db.env : {}) };
}

/**
 * docs/install.md steps 4 and 5 "With the admin API", run as written with curl (the doc's
 * `http://localhost:8000` pointed at this core's port): login, /me, a network, a user, an enrollment link.
 */
function followQuickStartApi(corePort: number, adminPassword: string, cwd: string): void {
  const commands = [...shellCommands(INSTALL_DOC, "4. The first admin login"), ...shellCommands(INSTALL_DOC, "With the admin API")];
  expect(commands).toHaveLength(5);
  const outputs = commands.map((command) => {
    expect(command.startsWith("curl ")).toBe(true);
    const script = command.replaceAll(DOC_CORE_URL, `http://localhost:${corePort}`).replaceAll("<DEFGUARD_DEFAULT_ADMIN_PASSWORD>", adminPassword);
    const run = Bun.spawnSync(["sh", "-c", script], { cwd, env: baseEnv() });
    const stdout = run.stdout.toString();
    expect({ command, code: run.exitCode, error: stdout.includes('"error"') ? stdout : undefined }).toEqual({ command, code: 0, error: undefined });
    return stdout;
  });
  expect(JSON.parse(outputs[1]!)).toMatchObject({ username: "admin" });
  expect(JSON.parse(outputs[3]!)).toMatchObject({ username: "alice" });
  expect(JSON.parse(outputs[4]!).enrollment_url).toMatch(ENROLLMENT_LINK);
}

/** docs/install.md step 5 "With the command line", each `docker compose exec core bun run cli ...` run with the core's environment. */
function followQuickStartCli(coreEnv: Record<string, string>): void {
  const commands = shellCommands(INSTALL_DOC, "With the command line");
  expect(commands.length).toBeGreaterThanOrEqual(3);
  const outputs = commands.map((command) => {
    expect(command.startsWith(DOC_CLI)).toBe(true);
    const args = command.slice(DOC_CLI.length).split(/\s+/);
    const run = Bun.spawnSync([process.execPath, "core/cli.ts", ...args], { cwd: ROOT, env: { ...baseEnv(), ...IMAGE_ENV, ...coreEnv } });
    expect({ command, code: run.exitCode, stderr: run.exitCode === 0 ? "" : run.stderr.toString() }).toEqual({ command, code: 0, stderr: "" });
    return run.stdout.toString();
  });
  const enroll = commands.findIndex((c) => c.includes(" user enroll "));
  expect(outputs[enroll]!).toMatch(ENROLLMENT_LINK);
}

describe.skipIf(MAINS_MISSING.length > 0)("the install, run without Docker", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dg-install-smoke-"));
    const certs = Bun.spawnSync([process.execPath, "run", "certs", "--out", join(dir, "certs"), "--mtls"], { cwd: ROOT, env: baseEnv() });
    expect(certs.exitCode).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const variant of ["plain", "mtls"] as const) {
    test(`${variant}: ${VARIANTS[variant].join(" + ")} reaches healthy, linked, and stops cleanly`, async () => {
      const compose = loadCompose(VARIANTS[variant], filledEnv());
      const db = await createTestDatabase({ migrated: false }); // empty: the core migrates it, as on a first install
      await db.close();
      const running: ServiceProcess[] = [];
      try {
        if (db.kind === "postgres") {
          await waitHealthy("db", compose.services.db!.healthcheck, { ...compose.services.db!.environment!, PGHOST: "127.0.0.1", PGPORT: "5432" });
        }
        const ports = { grpc: await freePort(), proxyHttp: await freePort(), coreHttp: await freePort() };
        const certsDir = join(dir, "certs");
        const proxyEnv = localProxyEnv(compose, ports, certsDir);
        const coreEnv = localCoreEnv(compose, ports, certsDir, db);
        const proxyCmd = command(compose.services.proxy!);
        const coreCmd = command(compose.services.core!);
        const proxy = spawnService("proxy", proxyCmd.script, { ...IMAGE_ENV, ...proxyEnv }, proxyCmd.args);
        running.push(proxy);
        const core = spawnService("core", coreCmd.script, { ...IMAGE_ENV, ...coreEnv }, coreCmd.args);
        running.push(core);

        await waitHealthy("proxy", compose.services.proxy!.healthcheck, proxyEnv, proxy);
        await waitHealthy("core", compose.services.core!.healthcheck, coreEnv, core);
        await proxy.waitFor("RPC client connected from:");
        await core.waitFor(`Connected to proxy at ${coreEnv.DEFGUARD_PROXY_URL}`);
        if (variant === "mtls") expect(proxy.matching("with mutual TLS")).toHaveLength(1);
        const grpcHealth = await fetch(`http://127.0.0.1:${ports.proxyHttp}/api/v1/health-grpc`);
        expect(grpcHealth.status).toBe(200);
        expect(grpcHealth.headers.get("defguard-core-connected")).toBe("true");
        expect(core.matching("Using database")).toHaveLength(1);

        // From nothing to a first enrollment link, as docs/install.md tells the admin (one way per variant).
        if (variant === "plain") followQuickStartApi(ports.coreHttp, coreEnv.DEFGUARD_DEFAULT_ADMIN_PASSWORD!, dir);
        else followQuickStartCli(coreEnv);

        expect(await core.stop("SIGTERM")).toBe(0);
        expect(await proxy.stop("SIGTERM")).toBe(0);
      } finally {
        await Promise.all(running.map((s) => s.stop("SIGKILL")));
        await db.cleanup();
      }
    });
  }
});
