// The shell around one WireGuard interface: creates it (kernel WireGuard, or wireguard-go as a child
// process), sets its key, port and addresses with `wg`/`ip`, applies peer changes, reads its figures,
// and removes it. Everything it decides comes from the pure modules beside it.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { Logger } from "../shared/logger.ts";
import { CommandError, run } from "./command.ts";
import { type InterfaceSettings, diffSettings } from "./interface-settings.ts";
import { type PeerChanges, isEmpty } from "./peer-diff.ts";
import { type InterfaceDump, parseDump } from "./peer-stats.ts";
import { missingForInterface, readHostFacts } from "./preflight.ts";
import { addConf, wgSetBatches } from "./wg-set-args.ts";

/** How long wireguard-go may take to create its interface and control socket. */
const USERSPACE_START_TIMEOUT_MS = 5_000;
const USERSPACE_POLL_MS = 20;
/** wireguard-go gets this long after SIGTERM to remove its interface before SIGKILL. */
const USERSPACE_STOP_TIMEOUT_MS = 3_000;
/** Without it, wireguard-go refuses to start on a kernel that has WireGuard. */
const USERSPACE_ENV = { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1" };

export type Implementation = "kernel" | "wireguard-go";

export interface CreateOptions {
  ifname: string;
  /** Use wireguard-go even when the kernel has WireGuard. */
  userspace: boolean;
  log: Logger;
}

async function linkExists(ifname: string): Promise<boolean> {
  return run(["ip", "link", "show", "dev", ifname]).then(
    () => true,
    () => false,
  );
}

export class WireGuardInterface {
  /** The settings last applied; undefined until configure() ran once. */
  private settings: InterfaceSettings | undefined;
  private stopped = false;
  /** True once up() ran. */
  private isUp = false;

  private constructor(
    readonly ifname: string,
    readonly implementation: Implementation,
    /** The wireguard-go process owning the interface; undefined for kernel WireGuard. */
    private readonly userspace: Subprocess<"ignore", "ignore", "ignore"> | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * Creates the interface (kernel first unless `userspace`; wireguard-go when the kernel has no
   * WireGuard). An interface of that name that already exists is taken over, as Defguard's gateway does.
   */
  static async create(options: CreateOptions): Promise<WireGuardInterface> {
    const { ifname, log } = options;
    if (await linkExists(ifname)) {
      await run(["wg", "show", ifname, "public-key"]).catch((err: unknown) => {
        throw new Error(`interface ${ifname} exists and is not a WireGuard interface (${err instanceof Error ? err.message : err})`);
      });
      log.warn(`Interface ${ifname} already exists; taking it over`);
      return new WireGuardInterface(ifname, "kernel", undefined, log);
    }
    if (!options.userspace) {
      try {
        await run(["ip", "link", "add", "dev", ifname, "type", "wireguard"]);
        log.info(`Created WireGuard interface ${ifname} (kernel)`);
        return new WireGuardInterface(ifname, "kernel", undefined, log);
      } catch (err) {
        if (!(err instanceof CommandError) || !/Unknown device type|not supported/i.test(err.stderr)) throw err;
        log.info("The kernel has no WireGuard module; using wireguard-go");
      }
    }
    const missing = missingForInterface(readHostFacts(), true);
    if (missing.length > 0) throw new Error(`wireguard-go cannot run here; this host lacks ${missing.join("; ")}`);
    return new WireGuardInterface(ifname, "wireguard-go", await startUserspace(ifname, log), log);
  }

  /** Sets what differs from the settings last applied: private key, listen port, addresses (see up()). */
  async configure(should: InterfaceSettings): Promise<void> {
    const changes = diffSettings(this.settings ?? (await this.readSettings()), should);
    if (changes.prvkey !== undefined || changes.port !== undefined) {
      const args = ["wg", "set", this.ifname];
      if (changes.port !== undefined) args.push("listen-port", String(changes.port));
      if (changes.prvkey !== undefined) args.push("private-key", "/dev/stdin");
      await run(args, { stdin: changes.prvkey === undefined ? undefined : `${changes.prvkey}\n` });
    }
    for (const cidr of changes.removeAddresses) await run(["ip", "address", "del", cidr, "dev", this.ifname]);
    for (const cidr of changes.addAddresses) await run(["ip", "address", "add", cidr, "dev", this.ifname]);
    this.settings = { ...should };
  }

  /**
   * Brings the link up (nothing when it is). Called after the first peers are set: wireguard-go starts a
   * peer's routines as it is added to a running device, which makes thousands of peers several times
   * slower to add than to a device brought up after them.
   */
  async up(): Promise<void> {
    if (this.isUp) return;
    await run(["ip", "link", "set", "dev", this.ifname, "up"]);
    this.isUp = true;
  }

  /** The key, port and addresses the interface has now (the key as unknown: wg never prints it here). */
  private async readSettings(): Promise<InterfaceSettings> {
    const dump = await this.dump();
    const json = JSON.parse(await run(["ip", "-j", "address", "show", "dev", this.ifname])) as { addr_info?: { local: string; prefixlen: number }[] }[];
    const addresses = (json[0]?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
    return { prvkey: "", port: dump.listenPort, addresses };
  }

  /**
   * Applies peer changes: removals and modifications with `wg set`, then additions with `wg addconf` (one
   * command for any number). Key material goes through files in a private temporary directory.
   */
  async applyPeers(changes: PeerChanges): Promise<void> {
    if (isEmpty(changes)) return;
    const dir = mkdtempSync(join(tmpdir(), "defguard-gateway-"));
    try {
      chmodSync(dir, 0o700);
      let n = 0;
      for (const batch of wgSetBatches(changes, () => join(dir, `psk-${n++}`))) {
        for (const file of batch.keyFiles) writeFileSync(file.path, `${file.key}\n`, { mode: 0o600 });
        await run(["wg", "set", this.ifname, ...batch.args]);
      }
      if (changes.add.length > 0) {
        const file = join(dir, "add.conf");
        writeFileSync(file, addConf(changes.add), { mode: 0o600 });
        await run(["wg", "addconf", this.ifname, file]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The interface's public key, port and every peer's figures (`wg show <if> dump`). */
  async dump(): Promise<InterfaceDump> {
    return parseDump(await run(["wg", "show", this.ifname, "dump"]));
  }

  /** Removes the interface and stops wireguard-go; safe to call twice. */
  async destroy(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await run(["ip", "link", "del", "dev", this.ifname]).catch((err: unknown) => {
      this.log.warn(`Could not remove interface ${this.ifname}: ${err instanceof Error ? err.message : err}`);
    });
    if (this.userspace) await stopProcess(this.userspace);
    this.log.info(`Removed WireGuard interface ${this.ifname}`);
  }
}

/**
 * Starts `wireguard-go -f <ifname>` and waits until `wg` can reach its control socket. Its output goes
 * nowhere: a Go program whose stdout is a pipe dies of SIGPIPE once the reader is gone, and the interface
 * must outlive a gateway that crashed (as a kernel interface does) so that traffic goes on meanwhile.
 */
async function startUserspace(ifname: string, log: Logger): Promise<Subprocess<"ignore", "ignore", "ignore">> {
  const child = Bun.spawn(["wireguard-go", "-f", ifname], {
    env: { ...process.env, ...USERSPACE_ENV },
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  const deadline = performance.now() + USERSPACE_START_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wireguard-go exited with ${child.exitCode} (run \`wireguard-go -f ${ifname}\` by hand to see why)`);
    const ready = await run(["wg", "show", ifname, "public-key"]).then(
      () => true,
      () => false,
    );
    if (ready) {
      log.info(`Created WireGuard interface ${ifname} (wireguard-go, pid ${child.pid})`);
      return child;
    }
    await Bun.sleep(USERSPACE_POLL_MS);
  }
  await stopProcess(child);
  throw new Error(`wireguard-go did not create ${ifname} within ${USERSPACE_START_TIMEOUT_MS} ms`);
}

async function stopProcess(child: Subprocess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), USERSPACE_STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(timer);
}
