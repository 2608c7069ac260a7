// WireGuard networks ("locations"). The Core generates each network's key pair; the private key is
// written once and never read back by any query here, so no answer can carry it.
import { AppError, GrpcStatus, invalidArgument } from "../../shared/errors.ts";
import type { MfaMode, NetworkInput } from "../networks/network-schema.ts";
import { generateKeyPair } from "../wireguard/keys.ts";
import { type NetworkDeviceSync, syncNetworkDevices } from "./network-device-sync.ts";
import { networkAllowsUser } from "./network-access.ts";
import { inTransaction, type Queryable, uniqueViolation } from "./queryable.ts";

export interface NetworkInfo {
  id: number;
  name: string;
  /** Gateway addresses in CIDR form, e.g. ["10.1.0.1/24", "fd00::1/64"]. */
  address: string[];
  port: number;
  endpoint: string;
  pubkey: string;
  dns: string | null;
  allowed_ips: string[];
  keepalive_interval: number;
  peer_disconnect_threshold: number;
  mfa_mode: MfaMode;
  /** Group names; empty means every user may use the network. */
  allowed_groups: string[];
}

async function selectNetworks(q: Queryable, where: ReturnType<Queryable>): Promise<NetworkInfo[]> {
  return q<NetworkInfo[]>`
    SELECT n.id, n.name, n.address, n.port, n.endpoint, n.pubkey, n.dns, n.allowed_ips, n.keepalive_interval,
           n.peer_disconnect_threshold, n.mfa_mode,
           ARRAY(SELECT g.name FROM network_allowed_groups a JOIN groups g ON g.id = a.group_id
                 WHERE a.network_id = n.id ORDER BY g.name) AS allowed_groups
    FROM networks n WHERE ${where} ORDER BY n.id`;
}

export function listNetworks(q: Queryable): Promise<NetworkInfo[]> {
  return selectNetworks(q, q`true`);
}

export async function getNetwork(q: Queryable, id: number): Promise<NetworkInfo | null> {
  return (await selectNetworks(q, q`n.id = ${id}`))[0] ?? null;
}

/** The networks a user may use: those without allowed groups, and those allowing one of their groups. */
export function listNetworksForUser(q: Queryable, userId: number): Promise<NetworkInfo[]> {
  return selectNetworks(
    q,
    networkAllowsUser(q, q`n.id`, userId),
  );
}

async function setAllowedGroups(tx: Queryable, networkId: number, names: string[]): Promise<void> {
  const groups = names.length ? await tx<{ id: number; name: string }[]>`SELECT id, name FROM groups WHERE name IN ${tx(names)}` : [];
  const unknown = names.filter((name) => !groups.some((g) => g.name === name));
  if (unknown.length) throw invalidArgument(`allowed_groups: group ${unknown.join(", ")} not found`);
  await tx`DELETE FROM network_allowed_groups WHERE network_id = ${networkId}`;
  for (const group of groups) {
    await tx`INSERT INTO network_allowed_groups (network_id, group_id) VALUES (${networkId}, ${group.id})`;
  }
}

function conflictFor(err: unknown, name: string): unknown {
  return uniqueViolation(err) === "networks_name_key" ? new AppError(GrpcStatus.ALREADY_EXISTS, `network ${name} already exists`) : err;
}

/** A network as created or changed, and what that did to its devices (network-device-sync.ts). */
export interface NetworkChange {
  network: NetworkInfo;
  devices: NetworkDeviceSync;
}

/**
 * Adds a network with a fresh X25519 key pair; the devices of the users it allows get addresses in it.
 * Throws INVALID_ARGUMENT for an unknown allowed group or an address too small for those devices, and
 * ALREADY_EXISTS for a name in use.
 */
export async function createNetwork(q: Queryable, input: NetworkInput): Promise<NetworkChange> {
  const keys = generateKeyPair();
  try {
    return await inTransaction(q, async (tx) => {
      const [row] = await tx<{ id: number }[]>`
        INSERT INTO networks (name, address, port, endpoint, pubkey, privkey, dns, allowed_ips, keepalive_interval,
                              peer_disconnect_threshold, mfa_mode)
        VALUES (${input.name}, ${input.address}, ${input.port}, ${input.endpoint}, ${keys.publicKey}, ${keys.privateKey},
                ${input.dns}, ${input.allowed_ips}, ${input.keepalive_interval}, ${input.peer_disconnect_threshold}, ${input.mfa_mode})
        RETURNING id`;
      await setAllowedGroups(tx, row!.id, input.allowed_groups);
      const devices = await syncNetworkDevices(tx, row!.id);
      return { network: (await getNetwork(tx, row!.id))!, devices };
    });
  } catch (err) {
    throw conflictFor(err, input.name);
  }
}

/**
 * Replaces a network's settings (its keys stay); null when no such network. Its devices follow: those
 * no longer allowed leave it, newly allowed ones join, and devices get new addresses when theirs are no
 * longer in its CIDRs. Throws as createNetwork.
 */
export async function updateNetwork(q: Queryable, id: number, input: NetworkInput): Promise<NetworkChange | null> {
  try {
    return await inTransaction(q, async (tx) => {
      const rows = await tx`
        UPDATE networks SET name = ${input.name}, address = ${input.address}, port = ${input.port},
               endpoint = ${input.endpoint}, dns = ${input.dns}, allowed_ips = ${input.allowed_ips},
               keepalive_interval = ${input.keepalive_interval},
               peer_disconnect_threshold = ${input.peer_disconnect_threshold}, mfa_mode = ${input.mfa_mode}
        WHERE id = ${id} RETURNING id`;
      if (rows.length === 0) return null;
      await setAllowedGroups(tx, id, input.allowed_groups);
      const devices = await syncNetworkDevices(tx, id);
      return { network: (await getNetwork(tx, id))!, devices };
    });
  } catch (err) {
    throw conflictFor(err, input.name);
  }
}

/** True when the network existed; its device addresses go with it. */
export async function deleteNetwork(q: Queryable, id: number): Promise<boolean> {
  const rows = await q`DELETE FROM networks WHERE id = ${id} RETURNING id`;
  return rows.length > 0;
}
