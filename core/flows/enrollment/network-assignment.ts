// Puts a new device into every network its user may use, with the first free host address of each of the
// network's CIDRs. Allocations for one network are serialized by a lock on the network's row; the primary
// key of network_device_addresses is the last guard (an address given out by another path, which takes no
// lock): the insert then fails, and the caller starts its transaction again (isAddressTaken). The search
// starts from the network's address_hints (migration 0007), so it costs a few index probes however many
// addresses the network has given out.
import type postgres from "postgres";
import { AppError, GrpcStatus, failedPrecondition } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import { type Queryable, uniqueViolation } from "../../store/queryable.ts";
import { networkAllowsUser } from "../../store/network-access.ts";
import type { DeviceNetworkRow } from "../instance-info.ts";
import { type HostSearch, hintAfter, hostSearch } from "../../wireguard/address-allocation.ts";
import { pollingTokenUpsert } from "./polling-token.ts";

const ADDRESS_PRIMARY_KEY = "network_device_addresses_pkey";

/** FAILED_PRECONDITION (HTTP 428): the admin must make room (a larger network, fewer devices). */
export const NETWORK_FULL_MESSAGE = (network: string) => `network ${network} has no free address left for this device: ask your administrator`;

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
    WHERE (${userId}) IS NOT NULL AND ${networkAllowsUser(tx, tx`n.id`, tx`(${userId})`)}
    ORDER BY n.id
    FOR NO KEY UPDATE OF n`;
}

/** One CIDR's search for the device's address, and the network it is for. */
export interface CidrSearch {
  /** The network's position in the list given to planSearches. */
  networkIndex: number;
  networkId: number;
  search: HostSearch;
}

/**
 * The searches for a device's addresses, one per CIDR of each network. A network full by its hints (or a
 * CIDR without hosts) is FAILED_PRECONDITION naming it: a device gets an address in every network its user
 * may use, or is not added at all. One with a malformed address is skipped, with an error logged.
 */
export function planSearches(log: Logger, networks: UsableNetwork[], deviceName: string): CidrSearch[] {
  return networks.flatMap((network, networkIndex) => {
    const hints = network.address_hints?.length === network.address.length ? network.address_hints : undefined;
    let searches: (HostSearch | undefined)[];
    try {
      searches = network.address.map((cidr, i) => hostSearch(cidr, hints?.[i] ?? null));
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      log.error(`Network ${network.name} has an invalid address, device ${deviceName} not added to it`, { error: err.message });
      return [];
    }
    if (searches.some((search) => search === undefined)) throw networkFull(log, network, deviceName);
    return searches.map((search) => ({ networkIndex, networkId: network.id, search: search! }));
  });
}

/** The refusal of a device for a network with no free address, logged for the admin who must make room. */
function networkFull(log: Logger, network: NetworkRow, deviceName: string): AppError {
  log.warn(`Network ${network.name} has no free address left: device ${deviceName} refused`);
  return failedPrecondition(NETWORK_FULL_MESSAGE(network.name));
}

const column = <K extends keyof HostSearch>(searches: CidrSearch[], key: K) => searches.map((s) => s.search[key]);

/**
 * For a statement's select list: the first free host of each search at or after its start (host() text,
 * or '' when none is left), in the order of `searches`. When the start is free (the usual case: the hint
 * is right) that is one index probe, and the rest of the coalesce never runs; otherwise the first gap after
 * a taken address is found by walking the taken addresses from the start. The host after the gateway is
 * asked apart: the gateway is never taken, so no taken address announces that gap.
 */
export function firstFreeSql(tx: Queryable, searches: CidrSearch[]) {
  // '' for none: postgres.js reads a NULL element of a text[] as the text "NULL".
  return tx`array(
    SELECT coalesce(host(coalesce(
      (SELECT q.start WHERE q.start <> q.gateway
         AND NOT EXISTS (SELECT 1 FROM network_device_addresses t WHERE t.network_id = q.network_id AND t.address = q.start)),
      (SELECT min(found.address) FROM (
         (SELECT a.address + 1 AS address FROM network_device_addresses a
          WHERE a.network_id = q.network_id AND a.address >= q.start AND a.address < q.high
            AND a.address + 1 <> q.gateway
            AND NOT EXISTS (SELECT 1 FROM network_device_addresses b WHERE b.network_id = q.network_id AND b.address = a.address + 1)
          ORDER BY a.address LIMIT 1)
         UNION ALL
         SELECT q.after_gateway WHERE q.after_gateway IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM network_device_addresses t WHERE t.network_id = q.network_id AND t.address = q.after_gateway)
      ) found))), '')
    FROM unnest(${searches.map((s) => s.networkId)}::bigint[], ${column(searches, "start")}::inet[], ${column(searches, "high")}::inet[],
                ${column(searches, "gateway")}::inet[], ${column(searches, "afterGateway")}::inet[])
         WITH ORDINALITY AS q(network_id, start, high, gateway, after_gateway, position)
    ORDER BY q.position)`;
}

/**
 * The addresses each of `networks` gets from `found` (firstFreeSql's answer for `searches`), in the order
 * of `networks`: undefined for a network planSearches skipped. A CIDR found full is FAILED_PRECONDITION
 * naming its network (the caller's transaction then adds nothing).
 */
export function pickedAddresses(log: Logger, networks: NetworkRow[], searches: CidrSearch[], found: string[], deviceName: string): (string[] | undefined)[] {
  const picked: string[][] = networks.map(() => []);
  searches.forEach((search, i) => picked[search.networkIndex]!.push(found[i] ?? ""));
  return picked.map((addresses, i) => {
    if (addresses.length === 0) return undefined;
    if (addresses.includes("")) throw networkFull(log, networks[i]!, deviceName);
    return addresses;
  });
}

/**
 * One statement: joins the device to each network that got addresses, stores them, moves those networks'
 * hints past them, and stores `pollingToken` as the device's polling token.
 */
export function storeAssignments(tx: Queryable, deviceId: number, networks: NetworkRow[], picked: (string[] | undefined)[], pollingToken: string) {
  const rows = networks.flatMap((network, i) => (picked[i] ?? []).map((address) => ({ networkId: network.id, address })));
  return tx`
    WITH picked AS (
      SELECT * FROM unnest(${rows.map((r) => r.networkId)}::bigint[], ${rows.map((r) => r.address)}::inet[], ${rows.map((r) => hintAfter(r.address))}::inet[])
        WITH ORDINALITY AS p(network_id, address, hint, position)
    ), joined AS (
      INSERT INTO network_devices (network_id, device_id) SELECT DISTINCT network_id, ${deviceId}::bigint FROM picked RETURNING network_id
    ), hinted AS (
      UPDATE networks n SET address_hints = h.hints
      FROM (SELECT network_id, array_agg(hint ORDER BY position) AS hints FROM picked GROUP BY network_id) h
      WHERE n.id = h.network_id
    ), addressed AS (
      INSERT INTO network_device_addresses (network_id, device_id, address)
      SELECT p.network_id, ${deviceId}::bigint, p.address FROM picked p JOIN joined j ON j.network_id = p.network_id
    ), polled AS (${pollingTokenUpsert(tx, deviceId, pollingToken)})
    SELECT count(*)::int AS networks FROM joined`;
}

/** True for the error of an insert whose address another transaction took meanwhile. */
export function isAddressTaken(err: unknown): boolean {
  return uniqueViolation(err) === ADDRESS_PRIMARY_KEY;
}

/** Attempts of a whole transaction when an address was taken meanwhile by a path that takes no lock. */
const MAX_ATTEMPTS = 5;

/** Runs `attempt` (one transaction) again while it fails because an address was taken meanwhile. */
export async function retryWhileAddressTaken<T>(log: Logger, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isAddressTaken(err)) throw err;
      if (n >= MAX_ATTEMPTS) throw new AppError(GrpcStatus.UNAVAILABLE, "addresses in this network are being assigned right now: try again", { cause: err });
      log.debug("An address was taken meanwhile, adding the device again", { attempt: n });
    }
  }
}
