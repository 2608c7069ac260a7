import { describe, expect, test } from "bun:test";
import { hasNetAdmin, missingForInterface, missingForMasquerade } from "./preflight.ts";

const ROOT = "Name:\tbun\nCapEff:\t000001ffffffffff\n";
const NOBODY = "Name:\tbun\nCapEff:\t0000000000000000\n";
const NET_ADMIN_ONLY = "CapEff:\t0000000000001000\n";
const all = { which: (p: string) => `/usr/bin/${p}`, tunExists: true };

describe("preflight", () => {
  test("reads CAP_NET_ADMIN from CapEff", () => {
    expect(hasNetAdmin(ROOT)).toBe(true);
    expect(hasNetAdmin(NET_ADMIN_ONLY)).toBe(true);
    expect(hasNetAdmin(NOBODY)).toBe(false);
    expect(hasNetAdmin("Name:\tbun\n")).toBe(false);
  });
  test("a host with everything lacks nothing", () => {
    expect(missingForInterface({ ...all, procStatus: ROOT }, true)).toEqual([]);
  });
  test("names every missing piece at once", () => {
    const missing = missingForInterface({ procStatus: NOBODY, which: () => null, tunExists: false }, true);
    expect(missing).toEqual([
      "the CAP_NET_ADMIN capability: run the gateway as root, or grant it (docker: cap_add NET_ADMIN; systemd: AmbientCapabilities=CAP_NET_ADMIN)",
      "the `wg` command (Debian: apt-get install wireguard-tools)",
      "the `ip` command (Debian: apt-get install iproute2)",
      "the `wireguard-go` command (Debian: apt-get install wireguard-go)",
      "/dev/net/tun, which wireguard-go needs (docker: devices /dev/net/tun)",
    ]);
  });
  test("wireguard-go and the tun device matter only for userspace WireGuard", () => {
    expect(missingForInterface({ procStatus: ROOT, which: (p) => (p === "wireguard-go" ? null : p), tunExists: false }, false)).toEqual([]);
  });
  test("DEFGUARD_MASQUERADE needs nft, named with its Debian package", () => {
    expect(missingForMasquerade(all)).toEqual([]);
    expect(missingForMasquerade({ ...all, which: (p) => (p === "nft" ? null : p) })).toEqual([
      "the `nft` command, which DEFGUARD_MASQUERADE needs (Debian: apt-get install nftables)",
    ]);
  });
});
