import { describe, expect, test } from "bun:test";
import { PEERS_PER_COMMAND, wgSetBatches } from "./wg-set-args.ts";

const A = "A".repeat(43) + "=";
const B = "B".repeat(43) + "=";
const C = "C".repeat(43) + "=";
const PSK = "P".repeat(43) + "=";

describe("wgSetBatches", () => {
  test("removals first, then additions and modifications; a preshared key only by file path", () => {
    const [batch, ...rest] = wgSetBatches(
      {
        remove: [A],
        add: [{ pubkey: B, allowedIps: ["100.64.0.3/32"], presharedKey: PSK, keepalive: 25 }],
        modify: [{ pubkey: C, allowedIps: ["100.64.0.4/32", "100.64.1.0/24"] }],
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
  test("a new peer without keepalive or key sets neither", () => {
    expect(wgSetBatches({ remove: [], add: [{ pubkey: A, allowedIps: [] }], modify: [] }, () => "")[0]!.args).toEqual(["peer", A, "allowed-ips", ""]);
  });
  test("many peers are split over several commands, each with its own key files", () => {
    const add = Array.from({ length: PEERS_PER_COMMAND + 1 }, (_, i) => ({ pubkey: `k${i}`, allowedIps: [], presharedKey: PSK }));
    const batches = wgSetBatches({ remove: [], add, modify: [] }, (pubkey) => `/f/${pubkey}`);
    expect(batches.map((b) => b.keyFiles.length)).toEqual([PEERS_PER_COMMAND, 1]);
    expect(batches[1]!.args).toEqual(["peer", `k${PEERS_PER_COMMAND}`, "preshared-key", `/f/k${PEERS_PER_COMMAND}`, "allowed-ips", ""]);
  });
  test("no changes, no command", () => {
    expect(wgSetBatches({ remove: [], add: [], modify: [] }, () => "")).toEqual([]);
  });
});
