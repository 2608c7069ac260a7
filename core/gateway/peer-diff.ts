// What a gateway must be told when the peers it has differ from the peers it should have: pure, so the
// rules are tested without sockets. A gateway stream keeps `known` (what it sent) and, for every event,
// compares the devices the event concerns with their current rows.
import { type Peer, type Update, UpdateType } from "../../shared/gateway-proto.ts";
import type { GatewayNetwork, PeerRow } from "./network-peers.ts";

/** The Peer message of a row; the preshared key only when there is one (MFA networks). */
export function peerMessage(row: PeerRow, keepaliveInterval: number): Peer {
  const peer: Peer = { pubkey: row.pubkey, allowed_ips: row.allowed_ips, keepalive_interval: keepaliveInterval };
  if (row.preshared_key) peer.preshared_key = row.preshared_key;
  return peer;
}

/** The whole configuration of a network, as Config answers and a network MODIFY carries it. */
export function configurationMessage(network: GatewayNetwork, peers: PeerRow[]) {
  return {
    name: network.name,
    prvkey: network.privkey,
    port: network.port,
    peers: peers.map((row) => peerMessage(row, network.keepalive_interval)),
    addresses: network.address,
  };
}

const sameIps = (a: string[], b: string[]) => a.length === b.length && a.every((ip, i) => ip === b[i]);

/**
 * The updates that bring a gateway from `known` to `current` for the devices `concerned` (plus every
 * device of `current`), and applies them to `known`:
 * - a device that became a peer: CREATE;
 * - a peer that is no longer one (deleted, disabled, left the network, MFA expired): DELETE, key only;
 * - a new public key: DELETE of the old key, CREATE of the new;
 * - a new preshared key (desktop-client MFA again): CREATE with it, as Defguard sends it;
 * - other addresses: MODIFY.
 */
export function diffPeers(known: Map<number, PeerRow>, concerned: Iterable<number>, current: PeerRow[], keepaliveInterval: number): Update[] {
  const updates: Update[] = [];
  const byId = new Map(current.map((row) => [row.device_id, row]));
  const ids = new Set([...concerned, ...byId.keys()]);
  for (const id of [...ids].sort((a, b) => a - b)) {
    const before = known.get(id);
    const after = byId.get(id);
    if (before && !after) {
      updates.push({ update_type: UpdateType.DELETE, peer: { pubkey: before.pubkey } });
      known.delete(id);
      continue;
    }
    if (!after) continue;
    known.set(id, after);
    if (before && before.pubkey !== after.pubkey) updates.push({ update_type: UpdateType.DELETE, peer: { pubkey: before.pubkey } });
    if (!before || before.pubkey !== after.pubkey || (after.preshared_key && after.preshared_key !== before.preshared_key)) {
      updates.push({ update_type: UpdateType.CREATE, peer: peerMessage(after, keepaliveInterval) });
    } else if (!sameIps(before.allowed_ips, after.allowed_ips) || before.preshared_key !== after.preshared_key) {
      updates.push({ update_type: UpdateType.MODIFY, peer: peerMessage(after, keepaliveInterval) });
    }
  }
  return updates;
}

/** The device ids of `known` owned by `userId`. */
export function knownDevicesOf(known: Map<number, PeerRow>, userId: number): number[] {
  return [...known.values()].filter((row) => row.user_id === userId).map((row) => row.device_id);
}
