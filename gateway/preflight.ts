// What the gateway needs from its host before it can make a WireGuard interface (and masquerade),
// checked at startup so that the operator reads every missing piece at once instead of a failing `ip`
// command later.
import { existsSync, readFileSync } from "node:fs";

/** Linux capability number of CAP_NET_ADMIN (include/uapi/linux/capability.h). */
const CAP_NET_ADMIN = 12;
export const TUN_DEVICE = "/dev/net/tun";

/** True when the `CapEff:` line of /proc/<pid>/status grants CAP_NET_ADMIN; false when absent. */
export function hasNetAdmin(procStatus: string): boolean {
  const hex = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(procStatus)?.[1];
  if (!hex) return false;
  return ((BigInt(`0x${hex}`) >> BigInt(CAP_NET_ADMIN)) & 1n) === 1n;
}

export interface HostFacts {
  /** Contents of /proc/self/status, or undefined where there is none. */
  procStatus?: string;
  /** Resolves a program on PATH, as Bun.which does. */
  which: (program: string) => string | null;
  tunExists: boolean;
}

export function readHostFacts(): HostFacts {
  let procStatus: string | undefined;
  try {
    procStatus = readFileSync("/proc/self/status", "utf8");
  } catch {
    procStatus = undefined;
  }
  return { procStatus, which: (program) => Bun.which(program), tunExists: existsSync(TUN_DEVICE) };
}

/**
 * Everything missing for the interface, each as a sentence an operator can act on; empty when nothing
 * is. `userspace` asks about wireguard-go as well (DEFGUARD_USERSPACE, or a kernel without WireGuard).
 */
export function missingForInterface(facts: HostFacts, userspace: boolean): string[] {
  const missing: string[] = [];
  if (facts.procStatus !== undefined && !hasNetAdmin(facts.procStatus)) {
    missing.push("the CAP_NET_ADMIN capability: run the gateway as root, or grant it (docker: cap_add NET_ADMIN; systemd: AmbientCapabilities=CAP_NET_ADMIN)");
  }
  if (!facts.which("wg")) missing.push("the `wg` command (Debian: apt-get install wireguard-tools)");
  if (!facts.which("ip")) missing.push("the `ip` command (Debian: apt-get install iproute2)");
  if (userspace) {
    if (!facts.which("wireguard-go")) missing.push("the `wireguard-go` command (Debian: apt-get install wireguard-go)");
    if (!facts.tunExists) missing.push(`${TUN_DEVICE}, which wireguard-go needs (docker: devices /dev/net/tun)`);
  }
  return missing;
}

/** What DEFGUARD_MASQUERADE needs besides the interface: the `nft` command (gateway/masquerade.ts). */
export function missingForMasquerade(facts: HostFacts): string[] {
  return facts.which("nft") ? [] : ["the `nft` command, which DEFGUARD_MASQUERADE needs (Debian: apt-get install nftables)"];
}
