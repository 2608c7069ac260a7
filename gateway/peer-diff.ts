// The gateway's pure core: the peers an interface has, the peers the Core says it should have, and the
// smallest list of changes between them. Unchanged peers appear in no list, so their sessions go on.

/** One WireGuard peer as the gateway applies it (the wire's `Peer`, normalised). */
export interface WgPeer {
  /** Base64 public key; the peer's identity. */
  pubkey: string;
  /** CIDRs, each with its prefix (`100.64.0.2/32`), sorted and without duplicates. */
  allowedIps: string[];
  /** Base64 preshared key, or undefined for none (only MFA locations have one). */
  presharedKey?: string;
  /** Persistent keepalive in seconds; undefined or 0 for off. */
  keepalive?: number;
}

export interface PeerChanges {
  /** Peers the interface lacks. */
  add: WgPeer[];
  /** Peers it has with other allowed IPs, preshared key or keepalive: set again in full. */
  modify: WgPeer[];
  /** Public keys of peers it has and should not. */
  remove: string[];
}

/** `10.0.0.2` → `10.0.0.2/32`, `fd00::2` → `fd00::2/128`; a CIDR stays as it is. */
export function withPrefix(address: string): string {
  const trimmed = address.trim();
  if (trimmed.includes("/")) return trimmed;
  return trimmed.includes(":") ? `${trimmed}/128` : `${trimmed}/32`;
}

/** A peer from the wire's fields (bare addresses get a host prefix; empty key and 0 keepalive mean none). */
export function normalizePeer(peer: { pubkey: string; allowed_ips: readonly string[]; preshared_key?: string | null; keepalive_interval?: number | null }): WgPeer {
  const allowedIps = [...new Set(peer.allowed_ips.filter((ip) => ip.trim() !== "").map(withPrefix))].sort();
  const normalized: WgPeer = { pubkey: peer.pubkey, allowedIps };
  if (peer.preshared_key) normalized.presharedKey = peer.preshared_key;
  if (peer.keepalive_interval) normalized.keepalive = peer.keepalive_interval;
  return normalized;
}

/** True when applying `b` over `a` would change nothing on the interface. */
export function samePeer(a: WgPeer, b: WgPeer): boolean {
  return (
    a.pubkey === b.pubkey &&
    (a.presharedKey ?? "") === (b.presharedKey ?? "") &&
    (a.keepalive ?? 0) === (b.keepalive ?? 0) &&
    a.allowedIps.length === b.allowedIps.length &&
    a.allowedIps.every((ip, i) => ip === b.allowedIps[i])
  );
}

/**
 * The changes that turn `have` into exactly `should`. When `should` names one public key twice, the
 * last entry wins (as a later update would).
 */
export function diffPeers(have: ReadonlyMap<string, WgPeer>, should: readonly WgPeer[]): PeerChanges {
  const wanted = new Map<string, WgPeer>();
  for (const peer of should) wanted.set(peer.pubkey, peer);
  const changes: PeerChanges = { add: [], modify: [], remove: [] };
  for (const [pubkey, peer] of wanted) {
    const current = have.get(pubkey);
    if (!current) changes.add.push(peer);
    else if (!samePeer(current, peer)) changes.modify.push(peer);
  }
  for (const pubkey of have.keys()) if (!wanted.has(pubkey)) changes.remove.push(pubkey);
  return changes;
}

/** The changes one streamed update makes: a CREATE or MODIFY of `peer`, or a DELETE of its key. */
export function diffOne(have: ReadonlyMap<string, WgPeer>, update: { kind: "upsert"; peer: WgPeer } | { kind: "delete"; pubkey: string }): PeerChanges {
  if (update.kind === "delete") return { add: [], modify: [], remove: have.has(update.pubkey) ? [update.pubkey] : [] };
  const current = have.get(update.peer.pubkey);
  if (!current) return { add: [update.peer], modify: [], remove: [] };
  return { add: [], modify: samePeer(current, update.peer) ? [] : [update.peer], remove: [] };
}

/** The peer map after `changes` were applied to `have` (a new map; `have` is left as it was). */
export function applyChanges(have: ReadonlyMap<string, WgPeer>, changes: PeerChanges): Map<string, WgPeer> {
  const next = new Map(have);
  for (const pubkey of changes.remove) next.delete(pubkey);
  for (const peer of [...changes.add, ...changes.modify]) next.set(peer.pubkey, peer);
  return next;
}

export function isEmpty(changes: PeerChanges): boolean {
  return changes.add.length === 0 && changes.modify.length === 0 && changes.remove.length === 0;
}
