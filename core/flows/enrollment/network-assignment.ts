// Puts a new device into every network its user may use, with the first free host address of each of the
// network's CIDRs. Allocations for one network are serialized by a lock on the network's row; the primary
// key of network_device_addresses is the last guard (an address given out by another path, which takes no
// lock): the insert then fails, and the caller starts its transaction again (isAddressTaken). The search
// starts from the network's address_hints (migration 0007), so it costs a few index probes however many
// addresses the network has given out.
import type postgres from "postgres";
import type { Logger } from "../../../shared/logger.ts";
import { type Queryable, uniqueViolation } from "../../store/queryable.ts";
import type { DeviceNetworkRow } from "../instance-info.ts";
import { type HostSearch, hintAfter, hostSearch } from "../../wireguard/address-allocation.ts";

const ADDRESS_PRIMARY_KEY = "network_device_addresses_pkey";

export interface NetworkRow {
  id: number;
  name: string;
  address: string[];
}

/** A network as locked for a new device: what allocation needs, and what the device's config says of it. */
export interface UsableNetwork extends NetworkRow, Omit<DeviceNetworkRow, "addresses"> {
  /** Where each CIDR's search starts (host() texts, same positions as `address`); null: from the bottom. */
  address_hints: (string | null)[] | null;
}

/**
 * The networks a user may use (no allowed groups means everyone; else a shared group), locked in id
 * order so that concurrent enrollments wait for each other instead of deadlocking. `user` is the user's
 * id, or an SQL expression giving it (evaluated once) that is NULL when nothing may be locked: then
 * nothing is, so that a statement sent before its request was checked locks only for a valid one.
 */
export async function lockUsableNetworks(tx: Queryable, user: number | postgres.Fragment): Promise<UsableNetwork[]> {
  const userId = typeof user === "number" ? tx`${user}::bigint` : user;
  return tx<UsableNetwork[]>`
    SELECT n.id, n.name, n.address, n.endpoint, n.port, n.pubkey, n.dns, n.allowed_ips, n.keepalive_interval, n.mfa_mode,
           (SELECT array_agg(host(h.hint) ORDER BY h.position) FROM unnest(n.address_hints) WITH ORDINALITY AS h(hint, position)) AS address_hints
    FROM networks n
    WHERE (${userId}) IS NOT NULL
      AND (NOT EXISTS (SELECT 1 FROM network_allowed_groups ag WHERE ag.network_id = n.id)
           OR EXISTS (SELECT 1 FROM network_allowed_groups ag JOIN group_members m ON m.group_id = ag.group_id
                      WHERE ag.network_id = n.id AND m.user_id = (${userId})))
    ORDER BY n.id
    FOR NO KEY UPDATE OF n`;
}

/**
 * The first free host of one CIDR at or after `search.start`, or null. When the start is free (the usual
 * case: the hint is right) that is one index probe, and the rest of the coalesce is never run; otherwise
 * the first gap after a taken address is found by walking the taken addresses from the start. The host
 * after the gateway is asked apart, the gateway never being taken: no taken address announces that gap.
 */
async function firstFreeFrom(tx: Queryable, networkId: number, search: HostSearch): Promise<string | null> {
  const [row] = await tx<{ address: string | null }[]>`
    SELECT host(coalesce(
      (SELECT s.address FROM (SELECT ${search.start}::inet AS address) s
       WHERE s.address <> ${search.gateway}::inet
         AND NOT EXISTS (SELECT 1 FROM network_device_addresses t WHERE t.network_id = ${networkId} AND t.address = s.address)),
      (SELECT min(found.address) FROM (
         (SELECT a.address + 1 AS address FROM network_device_addresses a
          WHERE a.network_id = ${networkId} AND a.address >= ${search.start}::inet AND a.address < ${search.high}::inet
            AND a.address + 1 <> ${search.gateway}::inet
            AND NOT EXISTS (SELECT 1 FROM network_device_addresses b WHERE b.network_id = ${networkId} AND b.address = a.address + 1)
          ORDER BY a.address LIMIT 1)
         UNION ALL
         SELECT g.address FROM (SELECT ${search.afterGateway}::inet AS address) g
         WHERE g.address IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM network_device_addresses t WHERE t.network_id = ${networkId} AND t.address = g.address)
      ) found)
    )) AS address`;
  return row!.address;
}

/**
 * The first free address of each CIDR, or undefined when any is full (a device gets all of its addresses in
 * a network or none, as in Defguard). Throws TypeError for a malformed network address.
 */
async function firstFreeAddresses(tx: Queryable, network: UsableNetwork): Promise<string[] | undefined> {
  const hints = network.address_hints?.length === network.address.length ? network.address_hints : undefined;
  const searches = network.address.map((cidr, i) => hostSearch(cidr, hints?.[i] ?? null));
  if (searches.some((search) => search === undefined)) return undefined;
  // One statement per CIDR (each keeps a cached plan), sent together.
  const found = await Promise.all(searches.map((search) => firstFreeFrom(tx, network.id, search!)));
  return found.every((address) => address !== null) ? (found as string[]) : undefined;
}

/** Picks addresses for one network; undefined (with a log line) when the network is full or malformed. */
async function pickInNetwork(tx: Queryable, log: Logger, network: UsableNetwork, deviceName: string): Promise<string[] | undefined> {
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
export function pickAddresses(tx: Queryable, log: Logger, networks: UsableNetwork[], deviceName: string): Promise<(string[] | undefined)[]> {
  return Promise.all(networks.map((network) => pickInNetwork(tx, log, network, deviceName)));
}

/**
 * The statements adding the device to each network that got addresses, and moving that network's hints
 * past them (send them together).
 */
export function insertAssignments(tx: Queryable, deviceId: number, networks: NetworkRow[], picked: (string[] | undefined)[]): Promise<unknown>[] {
  return networks.flatMap((network, i) => {
    const addresses = picked[i];
    if (!addresses) return [];
    return [
      tx`
        WITH joined AS (
          INSERT INTO network_devices (network_id, device_id) VALUES (${network.id}, ${deviceId}) RETURNING network_id, device_id
        ), hinted AS (
          UPDATE networks SET address_hints = ${addresses.map(hintAfter)}::inet[] WHERE id = ${network.id}
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
