// The rules that turn "what the gateway has" and "what it should have" into updates.
import { describe, expect, test } from "bun:test";
import { UpdateType } from "../../shared/gateway-proto.ts";
import type { PeerRow } from "./network-peers.ts";
import { diffPeers, knownDevicesOf } from "./peer-diff.ts";

const row = (id: number, overrides: Partial<PeerRow> = {}): PeerRow => ({
  device_id: id,
  user_id: 100 + (id % 2),
  pubkey: `key-${id}`,
  allowed_ips: [`10.0.0.${id}`],
  preshared_key: null,
  ...overrides,
});

const known = (...rows: PeerRow[]) => new Map(rows.map((r) => [r.device_id, r]));

describe("diffPeers", () => {
  test("a new peer is a CREATE with the network's keepalive, and becomes known", () => {
    const state = known();
    expect(diffPeers(state, [1], [row(1)], 25)).toEqual([{ update_type: UpdateType.CREATE, peer: { pubkey: "key-1", allowed_ips: ["10.0.0.1"], keepalive_interval: 25 } }]);
    expect(state.get(1)).toEqual(row(1));
  });

  test("a known peer gone from the current rows is a DELETE carrying only its key", () => {
    const state = known(row(1), row(2));
    expect(diffPeers(state, [1], [], 25)).toEqual([{ update_type: UpdateType.DELETE, peer: { pubkey: "key-1" } }]);
    expect([...state.keys()]).toEqual([2]);
  });

  test("new addresses are a MODIFY; nothing changed is nothing sent", () => {
    const state = known(row(1), row(2));
    expect(diffPeers(state, [1, 2], [row(1, { allowed_ips: ["10.1.0.1"] }), row(2)], 25)).toEqual([
      { update_type: UpdateType.MODIFY, peer: { pubkey: "key-1", allowed_ips: ["10.1.0.1"], keepalive_interval: 25 } },
    ]);
    expect(diffPeers(state, [1, 2], [row(1, { allowed_ips: ["10.1.0.1"] }), row(2)], 25)).toEqual([]);
  });

  test("a fresh preshared key (MFA passed again) is a CREATE with the key; a changed public key replaces the old one", () => {
    const state = known(row(1, { preshared_key: "old" }), row(2));
    expect(diffPeers(state, [1, 2], [row(1, { preshared_key: "new" }), row(2, { pubkey: "key-2b" })], 0)).toEqual([
      { update_type: UpdateType.CREATE, peer: { pubkey: "key-1", allowed_ips: ["10.0.0.1"], keepalive_interval: 0, preshared_key: "new" } },
      { update_type: UpdateType.DELETE, peer: { pubkey: "key-2" } },
      { update_type: UpdateType.CREATE, peer: { pubkey: "key-2b", allowed_ips: ["10.0.0.2"], keepalive_interval: 0 } },
    ]);
  });

  test("devices not concerned and not current are left alone; updates come in device id order", () => {
    const state = known(row(5));
    expect(diffPeers(state, [9], [row(3), row(1)], 25).map((u) => u.peer!.pubkey)).toEqual(["key-1", "key-3"]);
    expect(state.has(5)).toBe(true);
  });
});

test("knownDevicesOf lists the known devices of one user", () => {
  expect(knownDevicesOf(known(row(1), row(2), row(3)), 101)).toEqual([1, 3]);
});
