// A network's devices follow who may use it, on a real database: a new network takes in the devices of the
// users it allows, a changed one lets devices go, take them in or re-addresses them, group membership moves
// a user's devices, and a network too small for its devices is refused with nothing changed.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { generateKeyPair } from "../wireguard/keys.ts";
import type { NetworkInput } from "../networks/network-schema.ts";
import { addUserToGroup, createGroup, removeUserFromGroup } from "./groups.ts";
import { createNetwork, updateNetwork } from "./networks.ts";
import { createUser } from "./users.ts";

// Bun's default is 5 s per test; starting PGlite alone can take several on a busy 2-core machine.
setDefaultTimeout(30_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.cleanup();
});

let counter = 0;
const network = (name: string, address: string[], allowed_groups: string[] = []): NetworkInput => ({
  name, address, port: 51820, endpoint: "vpn.example.com", allowed_ips: ["10.0.0.0/8"], dns: null,
  keepalive_interval: 25, peer_disconnect_threshold: 300, allowed_groups, mfa_mode: "disabled",
});

/** A user with `devices` devices registered before any network of the test exists. */
async function userWithDevices(devices: number): Promise<{ id: number; username: string; deviceIds: number[] }> {
  const username = `sync${++counter}`;
  const user = await createUser(db.sql, { username, email: `${username}@example.com`, first_name: username, last_name: "Test" });
  const deviceIds: number[] = [];
  for (let i = 0; i < devices; i++) {
    const [row] = await db.sql<{ id: number }[]>`
      INSERT INTO devices (user_id, name, pubkey) VALUES (${user.id}, ${`device ${i}`}, ${generateKeyPair().publicKey}) RETURNING id`;
    deviceIds.push(row!.id);
  }
  return { id: user.id, username, deviceIds };
}

/** Each device of `deviceIds` in the network, with its addresses (comma-separated, IPv4 first); absent ones left out. */
async function addressesIn(networkId: number, deviceIds: number[]): Promise<Record<number, string>> {
  const rows = await db.sql<{ device_id: number; addresses: string }[]>`
    SELECT nd.device_id, coalesce(string_agg(host(a.address), ',' ORDER BY family(a.address), a.address), '') AS addresses
    FROM network_devices nd LEFT JOIN network_device_addresses a ON a.network_id = nd.network_id AND a.device_id = nd.device_id
    WHERE nd.network_id = ${networkId} AND nd.device_id IN ${db.sql(deviceIds)}
    GROUP BY nd.device_id`;
  return Object.fromEntries(rows.map((r) => [r.device_id, r.addresses]));
}

describe("a network's devices follow who may use it", () => {
  test("a new group network takes in its members' devices, in device order, and nobody else's", async () => {
    await createGroup(db.sql, "sync-staff");
    const staff = await userWithDevices(2);
    const other = await userWithDevices(1);
    await addUserToGroup(db.sql, "sync-staff", staff.username);
    const { network: created, devices } = await createNetwork(db.sql, network("sync-staff-net", ["10.50.0.1/24", "fd50::1/64"], ["sync-staff"]));
    expect(devices).toEqual({ added: 2, removed: 0, readdressed: 0 });
    expect(await addressesIn(created.id, [...staff.deviceIds, ...other.deviceIds])).toEqual({
      [staff.deviceIds[0]!]: "10.50.0.2,fd50::2",
      [staff.deviceIds[1]!]: "10.50.0.3,fd50::3",
    });
  });

  test("changing the allowed groups lets devices go and takes others in; the freed address is given first", async () => {
    await createGroup(db.sql, "sync-a");
    await createGroup(db.sql, "sync-b");
    const a = await userWithDevices(1);
    const b = await userWithDevices(1);
    await addUserToGroup(db.sql, "sync-a", a.username);
    await addUserToGroup(db.sql, "sync-b", b.username);
    const input = network("sync-ab", ["10.51.0.1/24"], ["sync-a"]);
    const { network: created } = await createNetwork(db.sql, input);
    expect(await addressesIn(created.id, [...a.deviceIds, ...b.deviceIds])).toEqual({ [a.deviceIds[0]!]: "10.51.0.2" });
    const changed = await updateNetwork(db.sql, created.id, { ...input, allowed_groups: ["sync-b"] });
    expect(changed!.devices).toEqual({ added: 1, removed: 1, readdressed: 0 });
    expect(await addressesIn(created.id, [...a.deviceIds, ...b.deviceIds])).toEqual({ [b.deviceIds[0]!]: "10.51.0.2" });
  });

  test("a new address re-addresses every device; a wider one that still holds an address keeps it", async () => {
    await createGroup(db.sql, "sync-move");
    const user = await userWithDevices(2);
    await addUserToGroup(db.sql, "sync-move", user.username);
    const input = network("sync-move-net", ["10.52.0.1/24"], ["sync-move"]);
    const { network: created } = await createNetwork(db.sql, input);
    const moved = await updateNetwork(db.sql, created.id, { ...input, address: ["10.53.0.1/24", "fd53::1/64"] });
    expect(moved!.devices).toEqual({ added: 0, removed: 0, readdressed: 2 });
    expect(await addressesIn(created.id, user.deviceIds)).toEqual({ [user.deviceIds[0]!]: "10.53.0.2,fd53::2", [user.deviceIds[1]!]: "10.53.0.3,fd53::3" });
    const widened = await updateNetwork(db.sql, created.id, { ...input, address: ["10.53.0.1/16", "fd53::1/64"] });
    expect(widened!.devices).toEqual({ added: 0, removed: 0, readdressed: 0 });
    expect(await addressesIn(created.id, user.deviceIds)).toEqual({ [user.deviceIds[0]!]: "10.53.0.2,fd53::2", [user.deviceIds[1]!]: "10.53.0.3,fd53::3" });
  });

  test("a network too small for its devices is refused naming the address, and nothing changes", async () => {
    await createGroup(db.sql, "sync-small");
    const user = await userWithDevices(3);
    await addUserToGroup(db.sql, "sync-small", user.username);
    const refused = await createNetwork(db.sql, network("sync-tiny", ["10.54.0.1/30"], ["sync-small"])).catch((err: Error) => err);
    expect((refused as Error).message).toBe("address: 10.54.0.1/30 has no room for the 3 devices allowed in this network");
    expect(await db.sql`SELECT 1 FROM networks WHERE name = 'sync-tiny'`).toHaveLength(0);
    const input = network("sync-fits", ["10.55.0.1/24"], ["sync-small"]);
    const { network: created } = await createNetwork(db.sql, input);
    const narrowed = await updateNetwork(db.sql, created.id, { ...input, address: ["10.55.0.1/30"] }).catch((err: Error) => err);
    expect((narrowed as Error).message).toBe("address: 10.55.0.1/30 has no room for the 3 devices allowed in this network");
    const [kept] = await db.sql<{ address: string[] }[]>`SELECT address FROM networks WHERE id = ${created.id}`;
    expect(kept!.address).toEqual(["10.55.0.1/24"]);
    expect(Object.values(await addressesIn(created.id, user.deviceIds))).toEqual(["10.55.0.2", "10.55.0.3", "10.55.0.4"]);
  });

  test("joining and leaving a group moves the user's devices in and out of the networks it opens", async () => {
    await createGroup(db.sql, "sync-join");
    const { network: created } = await createNetwork(db.sql, network("sync-join-net", ["10.56.0.1/24"], ["sync-join"]));
    const user = await userWithDevices(1);
    expect(await addressesIn(created.id, user.deviceIds)).toEqual({});
    await addUserToGroup(db.sql, "sync-join", user.username);
    expect(await addressesIn(created.id, user.deviceIds)).toEqual({ [user.deviceIds[0]!]: "10.56.0.2" });
    await removeUserFromGroup(db.sql, "sync-join", user.username);
    expect(await addressesIn(created.id, user.deviceIds)).toEqual({});
  });
});
