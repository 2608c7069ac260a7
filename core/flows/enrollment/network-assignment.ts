// Puts a new device into every network its user may use, with the first free host address of each of the
// network's CIDRs. Allocations for one network are serialized by a lock on the network's row; the primary
// key of network_device_addresses is the last guard (an address given out by another path), answered
// by reading the taken addresses again and retrying.
import type postgres from "postgres";
import { AppError, GrpcStatus } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import { uniqueViolation } from "../../store/queryable.ts";
import { allocateHosts } from "../../wireguard/address-allocation.ts";

/** Attempts per network when another transaction takes the picked address first. */
const MAX_ALLOCATION_ATTEMPTS = 5;
const ADDRESS_PRIMARY_KEY = "network_device_addresses_pkey";

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

/** Picks addresses for one network; undefined (with a log line) when the network is full or malformed. */
function pickAddresses(log: Logger, network: NetworkRow, deviceName: string, taken: string[]): string[] | undefined {
  let addresses: string[] | undefined;
  try {
    addresses = allocateHosts(network.address, taken);
  } catch (err) {
    log.error(`Network ${network.name} has an invalid address, device ${deviceName} not added to it`, { error: (err as Error).message });
    return undefined;
  }
  if (!addresses) log.warn(`Network ${network.name} has no free address left, device ${deviceName} not added to it`);
  return addresses;
}

async function insertAssignment(tx: postgres.TransactionSql, networkId: number, deviceId: number, addresses: string[]): Promise<void> {
  await tx.savepoint(async (sp) => {
    await sp`INSERT INTO network_devices (network_id, device_id) VALUES (${networkId}, ${deviceId})`;
    for (const address of addresses) {
      await sp`INSERT INTO network_device_addresses (network_id, device_id, address) VALUES (${networkId}, ${deviceId}, ${address}::inet)`;
    }
  });
}

async function assignInNetwork(
  tx: postgres.TransactionSql,
  log: Logger,
  network: NetworkRow,
  device: { id: number; name: string },
): Promise<string[] | undefined> {
  for (let attempt = 1; ; attempt++) {
    const addresses = pickAddresses(log, network, device.name, await takenAddresses(tx, network.id));
    if (!addresses) return undefined;
    try {
      await insertAssignment(tx, network.id, device.id, addresses);
      return addresses;
    } catch (err) {
      if (uniqueViolation(err) !== ADDRESS_PRIMARY_KEY) throw err;
      if (attempt >= MAX_ALLOCATION_ATTEMPTS) {
        throw new AppError(GrpcStatus.UNAVAILABLE, "addresses in this network are being assigned right now: try again", { cause: err });
      }
      log.debug(`Address in network ${network.name} taken meanwhile, picking again`, { attempt });
    }
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
