// Real proxy and core processes for end-to-end tests: spawned with a clean environment on loopback, their
// output kept line by line so tests can wait for a log line, and stopped by whoever started them.
import type { Subprocess } from "bun";
import { forEachLine } from "../../shared/line-reader.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
/** How long a test waits for a log line by default: generous, a 2-core CI machine under load. */
export const WAIT_MS = 30_000;
const KILL_AFTER_MS = 10_000;

export class ServiceProcess {
  /** Every line of stdout and stderr, in arrival order. */
  readonly lines: string[] = [];
  readonly exited: Promise<number>;
  private readonly waiters = new Set<() => void>();
  /** True once the process has exited and all its output has been read. */
  private done = false;

  constructor(
    readonly name: string,
    readonly process: Subprocess<"ignore", "pipe", "pipe">,
  ) {
    const collect = (line: string) => {
      this.lines.push(line);
      for (const wake of this.waiters) wake();
    };
    const outputs = Promise.all([forEachLine(process.stdout, collect), forEachLine(process.stderr, collect)]);
    this.exited = process.exited.then(async (code) => {
      await outputs;
      this.done = true;
      for (const wake of this.waiters) wake();
      return code;
    });
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  get output(): string {
    return this.lines.join("\n");
  }

  /** Lines from index `from` on that contain `text` (or match it). */
  matching(text: string | RegExp, from = 0): string[] {
    return this.lines.slice(from).filter((line) => (typeof text === "string" ? line.includes(text) : text.test(line)));
  }

  /** Resolves with the first line from index `from` on that matches; rejects with the output on timeout or exit. */
  waitFor(text: string | RegExp, options: { from?: number; timeoutMs?: number } = {}): Promise<string> {
    const { from = 0, timeoutMs = WAIT_MS } = options;
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.matching(text, from)[0];
        if (found !== undefined) return finish(() => resolve(found));
        if (this.done) {
          finish(() => reject(new Error(`${this.name} exited before logging ${text}:\n${this.output}`)));
        }
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${this.name} did not log ${text}:\n${this.output}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends `signal` (SIGTERM by default), SIGKILL after 10 s, and returns the exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number> {
    if (this.running) {
      this.process.kill(signal);
      const timer = setTimeout(() => this.process.kill("SIGKILL"), KILL_AFTER_MS);
      await this.process.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}

/** PATH and HOME only: no DEFGUARD_* variable of the developer's shell leaks into a test. */
export function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
}

/** Bun's own flags for every service spawned here, e.g. `--cpu-prof` (TEST_BUN_FLAGS, space-separated). */
const BUN_FLAGS = (process.env.TEST_BUN_FLAGS ?? "").split(" ").filter(Boolean);

/** Variables for a child; an undefined value leaves the variable unset. */
export type ChildEnv = Record<string, string | undefined>;

/** Spawns `bun <script>` from the repository root with `env` on top of baseEnv(). */
export function spawnService(name: string, script: string, env: ChildEnv, args: string[] = []): ServiceProcess {
  const child = Bun.spawn([process.execPath, ...BUN_FLAGS, script, ...args], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries({ ...baseEnv(), ...env }).filter(([, value]) => value !== undefined)) as Record<string, string>,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return new ServiceProcess(name, child);
}

export interface ProxyProcess extends ServiceProcess {
  grpcPort: number;
  httpPort: number;
}

/** The port at the end of a `... listening on host:port` log line. */
export function portFrom(line: string): number {
  const port = Number(/:(\d+)\s*$/.exec(line)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${line}`);
  return port;
}

/**
 * Starts `bun proxy/main.ts` (or `script`, e.g. the bench proxy) on loopback; ports default to 0 (free).
 * Resolves once both servers listen, with the ports they bound.
 */
export async function startProxyProcess(env: ChildEnv = {}, script = "proxy/main.ts"): Promise<ProxyProcess> {
  const proxy = spawnService("proxy", script, {
    DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_GRPC_PORT: "0",
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_HTTP_PORT: "0",
    DEFGUARD_PROXY_COOKIE_KEY: "test-cookie-key-of-at-least-32-characters",
    ...env,
  });
  const grpcPort = portFrom(await proxy.waitFor("gRPC server is listening on"));
  const httpPort = portFrom(await proxy.waitFor("Web server is listening on"));
  return Object.assign(proxy, { grpcPort, httpPort });
}

/** Starts `bun core/main.ts` with `env` (give it DEFGUARD_PROXY_URL and a database's env). */
export function startCoreProcess(env: ChildEnv): ServiceProcess {
  return spawnService("core", "core/main.ts", { DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1", DEFGUARD_HTTP_PORT: "0", ...env });
}
