// Puts a new device into every network its user may use, with the first free host address of each of the
// network's CIDRs. Allocations for one network are serialized by a lock on the network's row; the primary
// key of network_device_addresses is the last guard (an address given out by another path, which takes no
// lock): the insert then fails, and the caller starts its transaction again (isAddressTaken).
import type postgres from "postgres";
import type { Logger } from "../../../shared/logger.ts";
import { type Queryable, uniqueViolation } from "../../store/queryable.ts";
import type { DeviceNetworkRow } from "../instance-info.ts";
import { type TakenSummary, allocateHosts, firstFreeFromSummary, hostBounds } from "../../wireguard/address-allocation.ts";

const ADDRESS_PRIMARY_KEY = "network_device_addresses_pkey";

export interface NetworkRow {
  id: number;
  name: string;
  address: string[];
}

/** A network as locked for a new device: what allocation needs, and what the device's config says of it. */
export type UsableNetwork = NetworkRow & Omit<DeviceNetworkRow, "addresses">;

/**
 * The networks a user may use (no allowed groups means everyone; else a shared group), locked in id
 * order so that concurrent enrollments wait for each other instead of deadlocking. `user` is the user's
 * id, or an SQL expression giving it (evaluated once) that is NULL when nothing may be locked: then
 * nothing is, so that a statement sent before its request was checked locks only for a valid one.
 */
export async function lockUsableNetworks(tx: Queryable, user: number | postgres.Fragment): Promise<UsableNetwork[]> {
  const userId = typeof user === "number" ? tx`${user}::bigint` : user;
  return tx<UsableNetwork[]>`
    SELECT n.id, n.name, n.address, n.endpoint, n.port, n.pubkey, n.dns, n.allowed_ips, n.keepalive_interval, n.mfa_mode
    FROM networks n
    WHERE (${userId}) IS NOT NULL
      AND (NOT EXISTS (SELECT 1 FROM network_allowed_groups ag WHERE ag.network_id = n.id)
           OR EXISTS (SELECT 1 FROM network_allowed_groups ag JOIN group_members m ON m.group_id = ag.group_id
                      WHERE ag.network_id = n.id AND m.user_id = (${userId})))
    ORDER BY n.id
    FOR NO KEY UPDATE OF n`;
}

async function takenAddresses(tx: Queryable, networkId: number): Promise<string[]> {
  const rows = await tx<{ address: string }[]>`SELECT host(address) AS address FROM network_device_addresses WHERE network_id = ${networkId}`;
  return rows.map((row) => row.address);
}

/**
 * How many addresses of the network lie in `bounds` (a CIDR's host range) and the highest: one index range
 * scan, no row sent back. Addresses are stored without prefix (/32, /128), so inet's order is theirs.
 */
async function summarizeTaken(tx: Queryable, networkId: number, bounds: { low: string; high: string }): Promise<TakenSummary> {
  const [summary] = await tx<TakenSummary[]>`
    SELECT count(*)::int AS count, host(max(address)) AS highest FROM network_device_addresses
    WHERE network_id = ${networkId} AND address BETWEEN ${bounds.low}::inet AND ${bounds.high}::inet`;
  return summary!;
}

/**
 * The first free address of each CIDR: from the counts when the taken addresses form one block from the
 * bottom (the usual case: nothing was deleted), else from the whole list of taken addresses. Undefined
 * when the network is full; throws TypeError for a malformed network address.
 */
async function firstFreeAddresses(tx: Queryable, network: NetworkRow): Promise<string[] | undefined> {
  const bounds = network.address.map(hostBounds);
  if (bounds.some((b) => b === undefined)) return undefined;
  // One statement per CIDR (each keeps a cached plan), sent together.
  const summaries = await Promise.all(bounds.map((b) => summarizeTaken(tx, network.id, b!)));
  const answers = network.address.map((cidr, i) => firstFreeFromSummary(cidr, summaries[i]!));
  if (answers.some((a) => !a.known)) return allocateHosts(network.address, await takenAddresses(tx, network.id));
  const picked = answers.map((a) => (a.known ? a.address : undefined));
  return picked.every((a) => a !== undefined) ? (picked as string[]) : undefined;
}

/** Picks addresses for one network; undefined (with a log line) when the network is full or malformed. */
async function pickInNetwork(tx: Queryable, log: Logger, network: NetworkRow, deviceName: string): Promise<string[] | undefined> {
  let addresses: string[] | undefined;
  try {
    addresses = await firstFreeAddresses(tx, network);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    log.error(`Network ${network.name} has an invalid address, device ${deviceName} not added to it`, { error: err.message });
    return undefined;
  }
  if (!addresses) log.warn(`Network ${network.name} has no free address left, device ${deviceName} not added to it`);
  return addresses;
}

/**
 * The addresses for the device in each of `networks` (locked by lockUsableNetworks), in the same order:
 * undefined for a network that is full (skipped, with a warning) or malformed. Every network is asked at
 * once: one round trip, whatever their number.
 */
export function pickAddresses(tx: Queryable, log: Logger, networks: NetworkRow[], deviceName: string): Promise<(string[] | undefined)[]> {
  return Promise.all(networks.map((network) => pickInNetwork(tx, log, network, deviceName)));
}

/** The statements adding the device to each network that got addresses (send them together). */
export function insertAssignments(tx: Queryable, deviceId: number, networks: NetworkRow[], picked: (string[] | undefined)[]): Promise<unknown>[] {
  return networks.flatMap((network, i) => {
    const addresses = picked[i];
    if (!addresses) return [];
    return [
      tx`
        WITH joined AS (
          INSERT INTO network_devices (network_id, device_id) VALUES (${network.id}, ${deviceId}) RETURNING network_id, device_id
        )
        INSERT INTO network_device_addresses (network_id, device_id, address)
        SELECT joined.network_id, joined.device_id, picked.address::inet FROM joined, unnest(${addresses}::text[]) AS picked(address)`,
    ];
  });
}

/** True for the error of an insert whose address another transaction took meanwhile. */
export function isAddressTaken(err: unknown): boolean {
  return uniqueViolation(err) === ADDRESS_PRIMARY_KEY;
}
