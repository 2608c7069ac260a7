// The `wg set` arguments that apply a list of peer changes. Pure: preshared keys are named by file paths
// that the caller writes (keys never appear among a process's arguments, which any user can read).
import type { PeerChanges, WgPeer } from "./peer-diff.ts";

/** Peers set by one `wg set` command, keeping each command's arguments well under the kernel's limit. */
export const PEERS_PER_COMMAND = 1_000;

export interface WgSetBatch {
  /** Arguments after `wg set <ifname>`. */
  args: string[];
  /** Files to write (mode 0600) before running the command: a preshared key each. */
  keyFiles: { path: string; key: string }[];
}

function peerClause(peer: WgPeer, existing: boolean, keyFile: (pubkey: string) => string, keyFiles: WgSetBatch["keyFiles"]): string[] {
  const clause = ["peer", peer.pubkey];
  if (peer.presharedKey) {
    const path = keyFile(peer.pubkey);
    keyFiles.push({ path, key: peer.presharedKey });
    clause.push("preshared-key", path);
  } else if (existing) {
    clause.push("preshared-key", "/dev/null"); // an empty file removes the key
  }
  if (existing || peer.keepalive) clause.push("persistent-keepalive", String(peer.keepalive ?? 0));
  // `allowed-ips` replaces the peer's whole list; an empty value removes them all.
  clause.push("allowed-ips", peer.allowedIps.join(","));
  return clause;
}

/**
 * The batches that apply `changes`: removals first (so that an address moving from one peer to another
 * is free when the other is set), then additions and modifications. `keyFile` names the file for a
 * peer's preshared key.
 */
export function wgSetBatches(changes: PeerChanges, keyFile: (pubkey: string) => string): WgSetBatch[] {
  const clauses: ((keyFiles: WgSetBatch["keyFiles"]) => string[])[] = [
    ...changes.remove.map((pubkey) => () => ["peer", pubkey, "remove"]),
    ...changes.add.map((peer) => (files: WgSetBatch["keyFiles"]) => peerClause(peer, false, keyFile, files)),
    ...changes.modify.map((peer) => (files: WgSetBatch["keyFiles"]) => peerClause(peer, true, keyFile, files)),
  ];
  const batches: WgSetBatch[] = [];
  for (let i = 0; i < clauses.length; i += PEERS_PER_COMMAND) {
    const keyFiles: WgSetBatch["keyFiles"] = [];
    const args = clauses.slice(i, i + PEERS_PER_COMMAND).flatMap((clause) => clause(keyFiles));
    batches.push({ args, keyFiles });
  }
  return batches;
}
