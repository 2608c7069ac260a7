// Puts a new device into every network its user may use, with the first free host address of each of the
// network's CIDRs. Allocations for one network are serialized by a lock on the network's row; the primary
// key of network_device_addresses is the last guard (an address given out by another path, which takes no
// lock): such an insert does nothing, and the addresses are picked again.
import type postgres from "postgres";
import { AppError, GrpcStatus } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import { type TakenSummary, allocateHosts, firstFreeFromSummary, hostBounds } from "../../wireguard/address-allocation.ts";

/** Attempts per network when another transaction takes the picked address first. */
const MAX_ALLOCATION_ATTEMPTS = 5;

interface NetworkRow {
  id: number;
  name: string;
  address: string[];
}

export interface NetworkAssignment {
  networkId: number;
  networkName: string;
  addresses: string[];
}

/**
 * The networks `userId` may use (no allowed groups means everyone; else a shared group), locked in id
 * order so that concurrent enrollments wait for each other instead of deadlocking.
 */
async function lockUsableNetworks(tx: postgres.TransactionSql, userId: number): Promise<NetworkRow[]> {
  return tx<NetworkRow[]>`
    SELECT n.id, n.name, n.address FROM networks n
    WHERE NOT EXISTS (SELECT 1 FROM network_allowed_groups ag WHERE ag.network_id = n.id)
       OR EXISTS (SELECT 1 FROM network_allowed_groups ag JOIN group_members m ON m.group_id = ag.group_id
                  WHERE ag.network_id = n.id AND m.user_id = ${userId})
    ORDER BY n.id
    FOR NO KEY UPDATE OF n`;
}

async function takenAddresses(tx: postgres.TransactionSql, networkId: number): Promise<string[]> {
  const rows = await tx<{ address: string }[]>`SELECT host(address) AS address FROM network_device_addresses WHERE network_id = ${networkId}`;
  return rows.map((row) => row.address);
}

/**
 * How many addresses of the network lie in `bounds` (a CIDR's host range) and the highest: one index range
 * scan, no row sent back. Addresses are stored without prefix (/32, /128), so inet's order is theirs.
 */
async function summarizeTaken(tx: postgres.TransactionSql, networkId: number, bounds: { low: string; high: string }): Promise<TakenSummary> {
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
async function firstFreeAddresses(tx: postgres.TransactionSql, network: NetworkRow): Promise<string[] | undefined> {
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
async function pickAddresses(tx: postgres.TransactionSql, log: Logger, network: NetworkRow, deviceName: string): Promise<string[] | undefined> {
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
 * Adds the device to the network with `addresses` in one statement; false (and nothing kept) when one of
 * the addresses was taken meanwhile: the primary key refused it without aborting the transaction.
 */
async function insertAssignment(tx: postgres.TransactionSql, networkId: number, deviceId: number, addresses: string[]): Promise<boolean> {
  const inserted = await tx`
    WITH joined AS (
      INSERT INTO network_devices (network_id, device_id) VALUES (${networkId}, ${deviceId}) RETURNING network_id, device_id
    )
    INSERT INTO network_device_addresses (network_id, device_id, address)
    SELECT joined.network_id, joined.device_id, picked.address::inet FROM joined, unnest(${addresses}::text[]) AS picked(address)
    ON CONFLICT (network_id, address) DO NOTHING
    RETURNING address`;
  if (inserted.length === addresses.length) return true;
  await tx`DELETE FROM network_devices WHERE network_id = ${networkId} AND device_id = ${deviceId}`;
  return false;
}

async function assignInNetwork(
  tx: postgres.TransactionSql,
  log: Logger,
  network: NetworkRow,
  device: { id: number; name: string },
): Promise<string[] | undefined> {
  for (let attempt = 1; ; attempt++) {
    const addresses = await pickAddresses(tx, log, network, device.name);
    if (!addresses) return undefined;
    if (await insertAssignment(tx, network.id, device.id, addresses)) return addresses;
    if (attempt >= MAX_ALLOCATION_ATTEMPTS) {
      throw new AppError(GrpcStatus.UNAVAILABLE, "addresses in this network are being assigned right now: try again");
    }
    log.debug(`Address in network ${network.name} taken meanwhile, picking again`, { attempt });
  }
}

/** Adds the device to each usable network that has room; full networks are skipped with a warning. */
export async function assignToNetworks(
  tx: postgres.TransactionSql,
  log: Logger,
  device: { id: number; name: string },
  userId: number,
): Promise<NetworkAssignment[]> {
  const assignments: NetworkAssignment[] = [];
  for (const network of await lockUsableNetworks(tx, userId)) {
    const addresses = await assignInNetwork(tx, log, network, device);
    if (addresses) assignments.push({ networkId: network.id, networkName: network.name, addresses });
  }
  return assignments;
}
