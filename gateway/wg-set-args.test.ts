import { describe, expect, test } from "bun:test";
import { PEERS_PER_COMMAND, addConf, wgSetBatches } from "./wg-set-args.ts";

const A = "A".repeat(43) + "=";
const B = "B".repeat(43) + "=";
const C = "C".repeat(43) + "=";
const PSK = "P".repeat(43) + "=";

describe("wgSetBatches", () => {
  test("removals first, then modifications; a preshared key only by file path, a missing one removed with /dev/null", () => {
    const [batch, ...rest] = wgSetBatches(
      {
        remove: [A],
        modify: [
          { pubkey: B, allowedIps: ["100.64.0.3/32"], presharedKey: PSK, keepalive: 25 },
          { pubkey: C, allowedIps: ["100.64.0.4/32", "100.64.1.0/24"] },
        ],
      },
      (pubkey) => `/tmp/x/${pubkey.slice(0, 1)}`,
    );
    expect(rest).toEqual([]);
    expect(batch!.args).toEqual([
      "peer", A, "remove",
      "peer", B, "preshared-key", "/tmp/x/B", "persistent-keepalive", "25", "allowed-ips", "100.64.0.3/32",
      "peer", C, "preshared-key", "/dev/null", "persistent-keepalive", "0", "allowed-ips", "100.64.0.4/32,100.64.1.0/24",
    ]);
    expect(batch!.args.join(" ")).not.toContain(PSK);
    expect(batch!.keyFiles).toEqual([{ path: "/tmp/x/B", key: PSK }]);
  });
  test("many peers are split over several commands, each with its own key files", () => {
    const modify = Array.from({ length: PEERS_PER_COMMAND + 1 }, (_, i) => ({ pubkey: `k${i}`, allowedIps: [], presharedKey: PSK }));
    const batches = wgSetBatches({ remove: [], modify }, (pubkey) => `/f/${pubkey}`);
    expect(batches.map((b) => b.keyFiles.length)).toEqual([PEERS_PER_COMMAND, 1]);
    expect(batches[1]!.args).toEqual(["peer", `k${PEERS_PER_COMMAND}`, "preshared-key", `/f/k${PEERS_PER_COMMAND}`, "persistent-keepalive", "0", "allowed-ips", ""]);
  });
  test("no removals or modifications, no command", () => {
    expect(wgSetBatches({ remove: [], modify: [] }, () => "")).toEqual([]);
  });
});

describe("addConf", () => {
  test("one [Peer] section a new peer, with only what it has", () => {
    expect(addConf([{ pubkey: A, allowedIps: ["100.64.0.2/32", "fd00::2/128"], presharedKey: PSK, keepalive: 25 }, { pubkey: B, allowedIps: [] }])).toBe(
      [
        "[Peer]", `PublicKey = ${A}`, `PresharedKey = ${PSK}`, "PersistentKeepalive = 25", "AllowedIPs = 100.64.0.2/32, fd00::2/128", "",
        "[Peer]", `PublicKey = ${B}`, "",
      ].join("\n"),
    );
  });
});
