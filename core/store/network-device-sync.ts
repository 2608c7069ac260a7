// Keeps a network's devices in line with who may use it, as Defguard does when a network is created or
// changed and when a user joins or leaves a group: every device of a user the network allows (no allowed
// groups: everyone) has one address in each of its CIDRs; a device no longer allowed leaves it; a device
// whose addresses no longer lie in the network's CIDRs gets new ones. New addresses are the lowest free
// hosts, as enrollment gives them. Runs inside the caller's transaction, which must hold the network's row
// (it has just inserted or updated it, or locks it here), so enrollments into the network wait for it.
import { invalidArgument } from "../../shared/errors.ts";
import { allocateHostsFor, isHostOf } from "../wireguard/address-allocation.ts";
import { networkAllowsUser } from "./network-access.ts";
import type { Queryable } from "./queryable.ts";

/** What a sync changed. */
export interface NetworkDeviceSync {
  added: number;
  removed: number;
  readdressed: number;
}

interface DeviceState {
  device_id: number;
  allowed: boolean;
  /** Whether the device is in the network now; `addresses` are its addresses there (host() texts). */
  member: boolean;
  addresses: string[];
}

/** Every device the sync concerns (all, or `userId`'s), with whether the network allows it and what it has there. */
function readDeviceStates(tx: Queryable, networkId: number, userId: number | undefined) {
  return tx<DeviceState[]>`
    SELECT d.id AS device_id,
           ${networkAllowsUser(tx, networkId, tx`d.user_id`)} AS allowed,
           nd.device_id IS NOT NULL AS member,
           array(SELECT host(a.address) FROM network_device_addresses a
                 WHERE a.network_id = ${networkId} AND a.device_id = d.id ORDER BY family(a.address), a.address) AS addresses
    FROM devices d
    LEFT JOIN network_devices nd ON nd.network_id = ${networkId} AND nd.device_id = d.id
    WHERE ${userId === undefined ? tx`true` : tx`d.user_id = ${userId}`}
    ORDER BY d.id`;
}

/** True when `addresses` are one host address of each of `cidrs`, in any order. */
function fitsNetwork(cidrs: string[], addresses: string[]): boolean {
  return addresses.length === cidrs.length && cidrs.every((cidr) => addresses.some((address) => isHostOf(cidr, address)));
}

/**
 * Syncs network `networkId`'s devices (only `userId`'s when given: a group change of one user). Throws
 * INVALID_ARGUMENT naming the address when the network cannot hold every device allowed in it; the caller's
 * transaction then changes nothing.
 */
export async function syncNetworkDevices(tx: Queryable, networkId: number, userId?: number): Promise<NetworkDeviceSync> {
  const [network] = await tx<{ address: string[] }[]>`SELECT address FROM networks WHERE id = ${networkId} FOR NO KEY UPDATE`;
  if (!network) return { added: 0, removed: 0, readdressed: 0 };
  const states = await readDeviceStates(tx, networkId, userId);
  const removed = states.filter((s) => s.member && !s.allowed).map((s) => s.device_id);
  const readdressed = states.filter((s) => s.member && s.allowed && !fitsNetwork(network.address, s.addresses)).map((s) => s.device_id);
  const added = states.filter((s) => !s.member && s.allowed).map((s) => s.device_id);
  if (removed.length > 0) await tx`DELETE FROM network_devices WHERE network_id = ${networkId} AND device_id IN ${tx(removed)}`;
  if (readdressed.length > 0) await tx`DELETE FROM network_device_addresses WHERE network_id = ${networkId} AND device_id IN ${tx(readdressed)}`;
  const needing = [...readdressed, ...added].sort((a, b) => a - b);
  if (needing.length > 0) await assignAddresses(tx, networkId, network.address, needing, added);
  return { added: added.length, removed: removed.length, readdressed: readdressed.length };
}

/** Gives each of `deviceIds` the next free hosts; `joining` of them have no network_devices row yet. */
async function assignAddresses(tx: Queryable, networkId: number, cidrs: string[], deviceIds: number[], joining: number[]): Promise<void> {
  const taken = await tx<{ address: string }[]>`SELECT host(address) AS address FROM network_device_addresses WHERE network_id = ${networkId}`;
  const picked = allocateHostsFor(cidrs, taken.map((row) => row.address), deviceIds.length);
  if (!picked) {
    const members = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM network_devices WHERE network_id = ${networkId}`;
    throw invalidArgument(`address: ${cidrs.join(", ")} has no room for the ${members[0]!.n + joining.length} devices allowed in this network`);
  }
  if (joining.length > 0) await tx`INSERT INTO network_devices (network_id, device_id) SELECT ${networkId}, unnest(${joining}::bigint[])`;
  const rows = deviceIds.flatMap((deviceId, i) => picked[i]!.map((address) => ({ deviceId, address })));
  await tx`
    INSERT INTO network_device_addresses (network_id, device_id, address)
    SELECT ${networkId}, device_id, address
    FROM unnest(${rows.map((r) => r.deviceId)}::bigint[], ${rows.map((r) => r.address)}::inet[]) AS picked(device_id, address)`;
}
