import { describe, expect, test } from "bun:test";
import { type WgPeer, applyChanges, diffOne, diffPeers, isEmpty, normalizePeer, withPrefix } from "./peer-diff.ts";

const A = "A".repeat(43) + "=";
const B = "B".repeat(43) + "=";
const C = "C".repeat(43) + "=";
const peer = (pubkey: string, ips: string[], extra: Partial<WgPeer> = {}): WgPeer => ({ pubkey, allowedIps: ips, ...extra });
const mapOf = (...peers: WgPeer[]) => new Map(peers.map((p) => [p.pubkey, p]));

describe("normalizePeer", () => {
  test("gives bare addresses a host prefix, sorts, drops duplicates and empty strings", () => {
    expect(normalizePeer({ pubkey: A, allowed_ips: ["100.64.0.3", "100.64.0.2", "fd00::2", "100.64.0.2", "", "10.0.0.0/24"] })).toEqual({
      pubkey: A,
      allowedIps: ["10.0.0.0/24", "100.64.0.2/32", "100.64.0.3/32", "fd00::2/128"],
    });
  });
  test("an empty preshared key and a 0 keepalive mean none", () => {
    expect(normalizePeer({ pubkey: A, allowed_ips: [], preshared_key: "", keepalive_interval: 0 })).toEqual({ pubkey: A, allowedIps: [] });
    expect(normalizePeer({ pubkey: A, allowed_ips: [], preshared_key: B, keepalive_interval: 25 })).toEqual({ pubkey: A, allowedIps: [], presharedKey: B, keepalive: 25 });
  });
  test("withPrefix keeps a CIDR as it is", () => {
    expect(withPrefix(" 10.1.0.0/16 ")).toBe("10.1.0.0/16");
  });
});

describe("diffPeers", () => {
  test("adds what is missing, removes what should not be there, and leaves unchanged peers out of every list", () => {
    const have = mapOf(peer(A, ["100.64.0.2/32"]), peer(B, ["100.64.0.3/32"]));
    const changes = diffPeers(have, [peer(A, ["100.64.0.2/32"]), peer(C, ["100.64.0.4/32"])]);
    expect(changes).toEqual({ add: [peer(C, ["100.64.0.4/32"])], modify: [], remove: [B] });
  });
  test("a new address, preshared key or keepalive is a modification", () => {
    const have = mapOf(peer(A, ["100.64.0.2/32"]), peer(B, ["100.64.0.3/32"]), peer(C, ["100.64.0.4/32"], { keepalive: 25 }));
    const should = [peer(A, ["100.64.0.9/32"]), peer(B, ["100.64.0.3/32"], { presharedKey: A }), peer(C, ["100.64.0.4/32"])];
    expect(diffPeers(have, should)).toEqual({ add: [], modify: should, remove: [] });
  });
  test("the same peers give no change at all", () => {
    const have = mapOf(peer(A, ["100.64.0.2/32"], { presharedKey: B, keepalive: 25 }));
    expect(isEmpty(diffPeers(have, [peer(A, ["100.64.0.2/32"], { presharedKey: B, keepalive: 25 })]))).toBe(true);
  });
  test("nothing wanted removes everything; nothing had adds everything", () => {
    expect(diffPeers(mapOf(peer(A, []), peer(B, [])), [])).toEqual({ add: [], modify: [], remove: [A, B] });
    expect(diffPeers(new Map(), [peer(A, []), peer(B, [])])).toEqual({ add: [peer(A, []), peer(B, [])], modify: [], remove: [] });
  });
  test("a key listed twice counts once, the last entry winning", () => {
    expect(diffPeers(new Map(), [peer(A, ["100.64.0.2/32"]), peer(A, ["100.64.0.3/32"])]).add).toEqual([peer(A, ["100.64.0.3/32"])]);
  });
  test("applying the changes gives exactly the wanted peers", () => {
    const have = mapOf(peer(A, ["100.64.0.2/32"]), peer(B, ["100.64.0.3/32"]));
    const should = [peer(B, ["100.64.0.5/32"]), peer(C, ["100.64.0.4/32"])];
    const after = applyChanges(have, diffPeers(have, should));
    expect([...after.values()]).toEqual(should);
    expect(have.size).toBe(2); // the input map is left as it was
  });
});

describe("diffOne", () => {
  const have = mapOf(peer(A, ["100.64.0.2/32"]));
  test("an upsert of an unknown key adds it, of a known key with new figures modifies it, of the same peer does nothing", () => {
    expect(diffOne(have, { kind: "upsert", peer: peer(B, []) })).toEqual({ add: [peer(B, [])], modify: [], remove: [] });
    expect(diffOne(have, { kind: "upsert", peer: peer(A, ["100.64.0.7/32"]) })).toEqual({ add: [], modify: [peer(A, ["100.64.0.7/32"])], remove: [] });
    expect(isEmpty(diffOne(have, { kind: "upsert", peer: peer(A, ["100.64.0.2/32"]) }))).toBe(true);
  });
  test("a delete removes a known key and ignores an unknown one", () => {
    expect(diffOne(have, { kind: "delete", pubkey: A })).toEqual({ add: [], modify: [], remove: [A] });
    expect(isEmpty(diffOne(have, { kind: "delete", pubkey: C }))).toBe(true);
  });
});
