// The `wg` input that applies a list of peer changes: a configuration file of the new peers for
// `wg addconf` (one command however many; the file holds their preshared keys, so it is written 0600), and
// `wg set` arguments for removals and changes. Pure: keys never appear among a process's arguments, which
// any user can read; `wg set` names preshared keys by file paths that the caller writes.
import type { PeerChanges, WgPeer } from "./peer-diff.ts";

/** Peers set by one `wg set` command, keeping each command's arguments well under the kernel's limit. */
export const PEERS_PER_COMMAND = 1_000;

export interface WgSetBatch {
  /** Arguments after `wg set <ifname>`. */
  args: string[];
  /** Files to write (mode 0600) before running the command: a preshared key each. */
  keyFiles: { path: string; key: string }[];
}

/** Sets every attribute of an existing peer, so that one left out (a key, a keepalive) is cleared. */
function peerClause(peer: WgPeer, keyFile: (pubkey: string) => string, keyFiles: WgSetBatch["keyFiles"]): string[] {
  const clause = ["peer", peer.pubkey];
  if (peer.presharedKey) {
    const path = keyFile(peer.pubkey);
    keyFiles.push({ path, key: peer.presharedKey });
    clause.push("preshared-key", path);
  } else {
    clause.push("preshared-key", "/dev/null"); // an empty file removes the key
  }
  clause.push("persistent-keepalive", String(peer.keepalive ?? 0));
  // `allowed-ips` replaces the peer's whole list; an empty value removes them all.
  clause.push("allowed-ips", peer.allowedIps.join(","));
  return clause;
}

/** `[Peer]` sections of `peers` for `wg addconf`, which adds them as `wg set` would (new peers only). */
export function addConf(peers: readonly WgPeer[]): string {
  const lines: string[] = [];
  for (const peer of peers) {
    lines.push("[Peer]", `PublicKey = ${peer.pubkey}`);
    if (peer.presharedKey) lines.push(`PresharedKey = ${peer.presharedKey}`);
    if (peer.keepalive) lines.push(`PersistentKeepalive = ${peer.keepalive}`);
    if (peer.allowedIps.length > 0) lines.push(`AllowedIPs = ${peer.allowedIps.join(", ")}`);
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * The `wg set` batches that apply the removals and modifications of `changes` (additions go through
 * addConf, after these): removals first, so that an address moving from one peer to another is free when
 * the other is set. `keyFile` names the file for a peer's preshared key.
 */
export function wgSetBatches(changes: Pick<PeerChanges, "remove" | "modify">, keyFile: (pubkey: string) => string): WgSetBatch[] {
  const clauses: ((keyFiles: WgSetBatch["keyFiles"]) => string[])[] = [
    ...changes.remove.map((pubkey) => () => ["peer", pubkey, "remove"]),
    ...changes.modify.map((peer) => (files: WgSetBatch["keyFiles"]) => peerClause(peer, keyFile, files)),
  ];
  const batches: WgSetBatch[] = [];
  for (let i = 0; i < clauses.length; i += PEERS_PER_COMMAND) {
    const keyFiles: WgSetBatch["keyFiles"] = [];
    const args = clauses.slice(i, i + PEERS_PER_COMMAND).flatMap((clause) => clause(keyFiles));
    batches.push({ args, keyFiles });
  }
  return batches;
}
