// `bun run start`: the proxy and the core on one host, for a trial. Logs of both interleaved, each line
// prefixed (`proxy | `, `core  | `); Ctrl-C stops both; if one dies, the other is stopped and the exit
// code is non-zero. The core dials the proxy on this host unless DEFGUARD_PROXY_URL says otherwise.
// A trial listens where only this host can reach it (issue 14, item 7): the admin API and both gRPC
// servers bind 127.0.0.1 unless their variable is set; the Proxy's public pages keep their own default.
import type { Subprocess } from "bun";
import { forEachLine } from "../shared/line-reader.ts";

/** A child that has not exited this long after SIGTERM is killed. */
const STOP_TIMEOUT_MS = 10_000;
/** The core starts once the proxy listens, or after this long whatever the proxy says. */
const PROXY_READY_TIMEOUT_MS = 10_000;
const ROOT = new URL("..", import.meta.url).pathname;

type Child = { name: string; process: Subprocess<"ignore", "pipe", "pipe"> };

function say(line: string): void {
  process.stdout.write(`start | ${line}\n`);
}

function spawn(name: string, script: string, env: Record<string, string | undefined>, onLine?: (line: string) => void): Child {
  const child = Bun.spawn([process.execPath, script], { cwd: ROOT, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const prefix = `${name.padEnd(5)} | `;
  const relay = (out: NodeJS.WriteStream) => (line: string) => {
    out.write(`${prefix}${line}\n`);
    onLine?.(line);
  };
  void forEachLine(child.stdout, relay(process.stdout));
  void forEachLine(child.stderr, relay(process.stderr));
  return { name, process: child };
}

/** Where the admin API and the gRPC servers listen when their variable is unset or empty. */
export const TRIAL_BIND_ADDRESS = "127.0.0.1";

/**
 * Each child's environment: `env` with DEFGUARD_GRPC_BIND_ADDRESS (both), and the core's
 * DEFGUARD_HTTP_BIND_ADDRESS (its admin API), set to loopback unless given; the core's DEFGUARD_PROXY_URL
 * defaults to this host's proxy. The proxy's DEFGUARD_HTTP_BIND_ADDRESS (its pages) is left as given.
 */
export function childEnvs(env: Record<string, string | undefined>): { proxy: Record<string, string | undefined>; core: Record<string, string | undefined> } {
  const grpc = env.DEFGUARD_GRPC_BIND_ADDRESS || TRIAL_BIND_ADDRESS;
  return {
    proxy: { ...env, DEFGUARD_GRPC_BIND_ADDRESS: grpc },
    core: {
      ...env,
      DEFGUARD_GRPC_BIND_ADDRESS: grpc,
      DEFGUARD_HTTP_BIND_ADDRESS: env.DEFGUARD_HTTP_BIND_ADDRESS || TRIAL_BIND_ADDRESS,
      DEFGUARD_PROXY_URL: env.DEFGUARD_PROXY_URL || defaultProxyUrl(env),
    },
  };
}

/** The URL the core dials when none is given: this host's proxy, over TLS when the proxy has a certificate. */
export function defaultProxyUrl(env: Record<string, string | undefined>): string {
  const port = env.DEFGUARD_PROXY_GRPC_PORT || "50051";
  return env.DEFGUARD_PROXY_GRPC_CERT ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
}

async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill("SIGTERM");
  const timer = setTimeout(() => child.process.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await child.process.exited;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  const envs = childEnvs({ ...process.env });
  const children: Child[] = [];
  let stopping = false;
  /** Stops every child; `code` undefined means "0 if every child exited cleanly, else 1". */
  const stopAll = async (why: string, code?: number) => {
    if (stopping) return;
    stopping = true;
    say(why);
    await Promise.all(children.map(stop));
    const clean = children.every((child) => child.process.exitCode === 0);
    process.exit(code ?? (clean ? 0 : 1));
  };
  const watch = (child: Child) => {
    children.push(child);
    void child.process.exited.then((code) => {
      const signal = child.process.signalCode;
      const status = signal ? `signal ${signal}` : `code ${code}`;
      void stopAll(`${child.name} exited with ${status}; stopping the rest`, code === 0 ? 1 : (code ?? 1));
    });
  };
  process.on("SIGINT", () => void stopAll("stopping proxy and core"));
  process.on("SIGTERM", () => void stopAll("stopping proxy and core"));

  let markReady = () => {};
  const proxyReady = new Promise<void>((resolve) => (markReady = resolve));
  const proxy = spawn("proxy", "proxy/main.ts", envs.proxy, (line) => {
    if (line.includes("gRPC server is listening on")) markReady();
  });
  say(`proxy started (pid ${proxy.process.pid})`);
  watch(proxy);
  const readyTimer = setTimeout(markReady, PROXY_READY_TIMEOUT_MS);
  await Promise.race([proxyReady, proxy.process.exited]);
  clearTimeout(readyTimer);
  if (stopping) return;

  const core = spawn("core", "core/main.ts", envs.core);
  say(`core started (pid ${core.process.pid})`);
  watch(core);
}

if (import.meta.main) await main();
