// README's quick start as a new user runs it: `bun run start` (embedded database), then the `bun run cli`
// lines README shows, in another shell, while the Core runs. The CLI goes through the Core's socket
// (DEFGUARD_DATA_DIR/core.sock); its answers and exit statuses equal those of the CLI on its own.
import { afterAll, afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./install-compose.ts";
import { shellCommands } from "./install-docs.ts";
import { freePort } from "./support/ports.ts";
import { type ServiceProcess, baseEnv, spawnService } from "./support/services.ts";

// Three starts of both services on PGlite and a dozen CLI processes, on a busy 2-core machine.
setDefaultTimeout(180_000);

const README_CLI = "bun run cli ";
const dataDir = mkdtempSync(join(tmpdir(), "dg-quick-start-"));
const socketPath = join(dataDir, "core.sock");
const running: ServiceProcess[] = [];

// SIGTERM: start.ts then stops the proxy and the core it started (a SIGKILL would leave them running).
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The variables of the shell both commands run in: only what the quick start's defaults cannot be here. */
async function quickStartEnv(): Promise<Record<string, string>> {
  const [grpcPort, webPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  return {
    DEFGUARD_DATA_DIR: dataDir,
    DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_GRPC_PORT: String(grpcPort),
    DEFGUARD_PROXY_HTTP_PORT: String(webPort),
    DEFGUARD_HTTP_PORT: String(adminPort),
    DEFGUARD_ENROLLMENT_URL: `http://localhost:${webPort}`,
  };
}

async function start(env: Record<string, string>): Promise<ServiceProcess> {
  const run = spawnService("start", "scripts/start.ts", env);
  running.push(run);
  await run.waitFor(/^core {2}\| .*Connected to proxy at http:\/\/127\.0\.0\.1:/);
  return run;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `bun run cli <args>` from the repository root, as typed in a shell with `env`. */
async function cli(env: Record<string, string>, args: string[]): Promise<Run> {
  const child = Bun.spawn([process.execPath, "run", "--silent", "cli", ...args], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

/** README's `bun run cli ...` lines of the quick start, split into arguments, trailing comments dropped. */
function readmeCliCommands(): string[][] {
  return shellCommands("README.md", "Quick start on a fresh machine")
    .filter((line) => line.startsWith(README_CLI))
    .map((line) => line.slice(README_CLI.length).replace(/\s+#.*$/, "").split(/\s+/));
}

/** Lines the Core logged for commands run through its socket, from line `from` on. */
const coreRan = (run: ServiceProcess, from = 0) => run.matching(/^core {2}\| .*defguard::cli: CLI command "/, from).map((l) => l.replace(/^.*CLI command /, ""));

/** Command lines that change nothing: their answers must not depend on whether the Core runs them. */
const READ_ONLY_AND_FAILING = [
  ["user", "list"],
  ["network", "list", "--json"],
  ["user", "add", "alice", "--email", "alice@example.com", "--first-name", "Alice", "--last-name", "Smith"],
  ["user", "add", "bob", "--first-name", "Bob", "--last-name", "B"],
  ["user", "enroll", "nobody"],
  ["network", "add", "--name", "lab", "--address", "10.2.0.0/24", "--port", "51821", "--endpoint", "e", "--allowed-ips", "0.0.0.0/0"],
  ["user", "fly"],
  ["user", "list", "--bogus"],
  ["--help"],
];

describe("README's quick start with the embedded database", () => {
  let env: Record<string, string>;
  const throughCore: Run[] = [];

  test("bun run start, then README's CLI lines in another shell: each works through the running Core", async () => {
    env = await quickStartEnv();
    const run = await start(env);
    const commands = readmeCliCommands();
    expect(commands.map((argv) => argv.slice(0, 2).join(" "))).toEqual(["network add", "user add", "user enroll"]);

    const [network, user, enroll] = [await cli(env, commands[0]!), await cli(env, commands[1]!), await cli(env, commands[2]!)];
    expect(network).toEqual({ code: 0, stdout: expect.stringMatching(/^Added network office \(id 1\) with public key [A-Za-z0-9+/]{43}=; 0 existing device\(s\) joined it\n$/), stderr: "" });
    expect(user).toEqual({ code: 0, stdout: "Added user alice (id 2)\n", stderr: "" });
    expect([enroll.code, enroll.stderr]).toEqual([0, ""]);
    const link = enroll.stdout.trim();
    expect(link).toMatch(new RegExp(`^${env.DEFGUARD_ENROLLMENT_URL}/\\?token=[A-Za-z0-9]{32}$`));
    await run.waitFor('CLI command "user enroll" exited');
    expect(coreRan(run)).toEqual(['"network add" exited with status 0', '"user add" exited with status 0', '"user enroll" exited with status 0']);

    // The link works on the Proxy that `bun run start` runs.
    const token = new URL(link).searchParams.get("token");
    const started = await fetch(`http://127.0.0.1:${env.DEFGUARD_PROXY_HTTP_PORT}/api/v1/enrollment/start`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    expect(started.status).toBe(200);
    expect(((await started.json()) as { user: { login: string } }).user.login).toBe("alice");

    const socket = statSync(socketPath);
    expect([socket.isSocket(), (socket.mode & 0o777).toString(8), socket.uid]).toEqual([true, "600", process.getuid!()]);

    for (const argv of READ_ONLY_AND_FAILING) throughCore.push(await cli(env, argv));
    expect(throughCore.map((r) => r.code)).toEqual([0, 0, 1, 1, 1, 1, 2, 2, 0]);
    expect(throughCore[2]!.stderr).toBe("error: username alice is already taken\n");
    expect(throughCore[4]!.stderr).toBe("error: user nobody not found\n");

    expect(await run.stop("SIGINT")).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
  });

  test("with no Core running, the CLI answers the same, on the database itself", async () => {
    expect(existsSync(join(dataDir, "defguard-core.pid"))).toBe(false);
    const direct: Run[] = [];
    for (const argv of READ_ONLY_AND_FAILING) direct.push(await cli(env, argv));
    expect(direct).toEqual(throughCore);
  });

  test("a Core killed with SIGKILL leaves its socket: the CLI then opens the database, and the next Core replaces it", async () => {
    const killed = await start(env);
    const corePid = Number(/pid (\d+)/.exec(killed.matching("start | core started (pid ")[0] ?? "")?.[1]);
    process.kill(corePid, "SIGKILL");
    await killed.exited;
    expect(statSync(socketPath).isSocket()).toBe(true);

    const alone = await cli(env, ["user", "enroll", "alice"]);
    expect([alone.code, alone.stderr]).toEqual([0, ""]);
    expect(alone.stdout).toMatch(/\?token=[A-Za-z0-9]{32}\n$/);

    const next = await start(env);
    const from = next.lines.length;
    const list = await cli(env, ["network", "list"]);
    expect([list.code, list.stdout.split("\n")[1]?.split(/\s+/).slice(0, 2)]).toEqual([0, ["1", "office"]]);
    await next.waitFor('CLI command "network list" exited', { from });
    expect(coreRan(next, from)).toEqual(['"network list" exited with status 0']);
    expect(await next.stop("SIGTERM")).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
  });
});
