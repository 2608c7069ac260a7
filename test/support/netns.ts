// Network namespaces for the real-tunnel tests: a lab of namespaces and veth pairs with names unique to
// this run (wireguard-go's sockets in /var/run/wireguard are shared by every namespace), processes run
// inside them, ping, and a cleanup that removes all of it. Addresses: 198.18.0.0/15 on the veths,
// 100.64.0.0/10 inside tunnels, never anything outside the machine.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { CommandError, run } from "../../gateway/command.ts";
import { type ChildEnv, ServiceProcess, baseEnv } from "./services.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
/** wireguard-go's control sockets, shared by every namespace. */
const WIREGUARD_SOCKETS = "/var/run/wireguard";
/** How long a wireguard-go left behind gets to exit on SIGTERM. */
const ORPHAN_STOP_MS = 500;

/** Why the real-tunnel tests cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "not root: network namespaces need root (CI runs these tests as root)";
  for (const program of ["ip", "wg", "wireguard-go", "ping"]) {
    if (!Bun.which(program)) return `no \`${program}\` on PATH (.ci/run installs iproute2, wireguard-tools, wireguard-go and iputils-ping)`;
  }
  if (!existsSync("/dev/net/tun")) return "no /dev/net/tun for wireguard-go";
  const probe = `dgprobe${randomBytes(3).toString("hex")}`;
  const added = Bun.spawnSync(["ip", "netns", "add", probe]);
  if (!added.success) return `cannot make a network namespace: ${added.stderr.toString().trim()}`;
  Bun.spawnSync(["ip", "netns", "del", probe]);
  return undefined;
}

export class NetnsLab {
  /** Short and random: prefixes every namespace and interface name of this run. */
  readonly id = randomBytes(3).toString("hex");
  /** Namespaces made, removed by cleanup(). */
  private readonly namespaces: string[] = [];
  /** Processes started inside namespaces, stopped by cleanup(). */
  private readonly processes: ServiceProcess[] = [];

  /** A namespace or interface name of this run: `dg<id><role>`, at most 15 characters. */
  name(role: string): string {
    const name = `dg${this.id}${role}`;
    if (name.length > 15) throw new Error(`name too long for an interface: ${name}`);
    return name;
  }

  /** Makes namespace `role` with its loopback up; returns its name. */
  async namespace(role: string): Promise<string> {
    const ns = this.name(role);
    await run(["ip", "netns", "add", ns]);
    this.namespaces.push(ns);
    await run(["ip", "-n", ns, "link", "set", "lo", "up"]);
    return ns;
  }

  /** A veth pair between two namespaces, `a` and `b` being CIDRs such as 198.18.0.1/30. */
  async veth(nsA: string, a: string, nsB: string, b: string, role: string): Promise<void> {
    const [ifA, ifB] = [this.name(`${role}a`), this.name(`${role}b`)];
    await run(["ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB]);
    await run(["ip", "-n", nsA, "address", "add", a, "dev", ifA]);
    await run(["ip", "-n", nsB, "address", "add", b, "dev", ifB]);
    await run(["ip", "-n", nsA, "link", "set", ifA, "up"]);
    await run(["ip", "-n", nsB, "link", "set", ifB, "up"]);
  }

  /** Runs `argv` inside `ns`; resolves with stdout. */
  exec(ns: string, argv: string[], stdin?: string): Promise<string> {
    return run(["ip", "netns", "exec", ns, ...argv], { stdin });
  }

  /** Starts `argv` inside `ns` as a process this lab stops at cleanup (or the caller before). */
  spawn(name: string, ns: string, argv: string[], env: ChildEnv = {}): ServiceProcess {
    const child = Bun.spawn(["ip", "netns", "exec", ns, ...argv], {
      cwd: ROOT,
      env: Object.fromEntries(Object.entries({ ...baseEnv(), ...env }).filter(([, v]) => v !== undefined)) as Record<string, string>,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    const service = new ServiceProcess(name, child);
    this.processes.push(service);
    return service;
  }

  /** One ping of `address` from `ns` with a one-second wait; true when it was answered. */
  async ping(ns: string, address: string): Promise<boolean> {
    try {
      await this.exec(ns, ["ping", "-c", "1", "-W", "1", "-n", "-q", address]);
      return true;
    } catch (err) {
      if (err instanceof CommandError) return false;
      throw err;
    }
  }

  /** Pings until the answer is `reachable` (true: answered; false: unanswered); throws after `timeoutMs`. */
  async waitForPing(ns: string, address: string, reachable: boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if ((await this.ping(ns, address)) === reachable) return;
      if (!reachable) continue; // an unanswered ping already waited its second
      await Bun.sleep(200);
    }
    throw new Error(`ping from ${ns} to ${address} ${reachable ? "never got an answer" : "kept being answered"} within ${timeoutMs} ms`);
  }

  /**
   * Stops every process started here, then any wireguard-go left for an interface of this run (a gateway
   * killed with SIGKILL leaves its child behind), and removes every namespace with its interfaces.
   */
  async cleanup(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop("SIGTERM").catch(() => undefined)));
    // SIGTERM first, so that wireguard-go removes its control socket; SIGKILL whatever is left.
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      const pids = this.orphanedWireguardGo();
      for (const pid of pids) {
        try {
          process.kill(pid, signal);
        } catch {}
      }
      if (pids.length > 0 && signal === "SIGTERM") await Bun.sleep(ORPHAN_STOP_MS);
    }
    for (const file of existsSync(WIREGUARD_SOCKETS) ? readdirSync(WIREGUARD_SOCKETS) : []) {
      if (file.startsWith(`dg${this.id}`)) rmSync(`${WIREGUARD_SOCKETS}/${file}`, { force: true });
    }
    for (const ns of this.namespaces) await run(["ip", "netns", "del", ns]).catch(() => undefined);
  }

  /** Pids of `wireguard-go ... dg<id>...` processes: only interfaces named by this run. */
  private orphanedWireguardGo(): number[] {
    const pids: number[] = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        if (argv[0]?.endsWith("wireguard-go") && argv.some((arg) => arg.startsWith(`dg${this.id}`))) pids.push(Number(entry));
      } catch {}
    }
    return pids;
  }
}
