// The address search through new_device on a real database, against the pure reference allocateHosts over
// everything taken: random adds and deletes, a gateway in the middle, dual stack, hints moved by deletes
// (the trigger) and reset by an address change, addresses written by a path that takes no lock.
import { beforeAll, describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../../shared/errors.ts";
import fc from "fast-check";
import type { TestDatabase } from "../../../test/support/database.ts";
import { allocateHosts } from "../../wireguard/address-allocation.ts";
import type { NetworkInput } from "../../networks/network-schema.ts";
import { updateNetwork } from "../../store/networks.ts";
import { NETWORK_FULL_MESSAGE } from "./network-assignment.ts";
import { addNetwork, addToken, addUser, errorOf, newDeviceKey, type Harness, useEnrollmentHarness } from "./test-fixtures.ts";

let db: TestDatabase;
let h: Harness;
useEnrollmentHarness((started) => ({ db, h } = started));

// One session adds many devices here: the limit per user is not what these tests are about.
beforeAll(async () => {
  await db.sql`UPDATE settings SET max_devices_per_user = 1000 WHERE id = 1`;
});

async function onlyNetwork(address: string[]): Promise<number> {
  await db.sql`DELETE FROM networks`;
  return (await addNetwork(db.sql, { address })).id;
}

async function sessionToken(): Promise<string> {
  const user = await addUser(db.sql);
  const token = await addToken(db.sql, user.id);
  expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
  return token;
}

let devices = 0;

/**
 * Adds a device; its id and its addresses in the one network (comma-separated). A full network refuses
 * the device (FAILED_PRECONDITION naming it): then neither.
 */
async function addDevice(token: string): Promise<{ id: number | undefined; assigned: string | undefined }> {
  const answer = await h.call("new_device", { token, name: `device-${++devices}`, pubkey: newDeviceKey() });
  const error = errorOf(answer);
  if (error) {
    const [network] = await db.sql<{ name: string }[]>`SELECT name FROM networks`;
    expect(error).toEqual({ status_code: GrpcStatus.FAILED_PRECONDITION, message: NETWORK_FULL_MESSAGE(network!.name) });
    return { id: undefined, assigned: undefined };
  }
  const config = answer.device_config!;
  return { id: Number(config.device!.id), assigned: config.configs![0]?.assigned_ip };
}

async function takenAddresses(networkId: number): Promise<string[]> {
  const rows = await db.sql<{ address: string }[]>`SELECT host(address) AS address FROM network_device_addresses WHERE network_id = ${networkId}`;
  return rows.map((row) => row.address);
}

async function hintsOf(networkId: number): Promise<string[] | null> {
  const [row] = await db.sql<{ hints: string[] | null }[]>`
    SELECT (SELECT array_agg(host(x) ORDER BY i) FROM unnest(address_hints) WITH ORDINALITY AS u(x, i)) AS hints
    FROM networks WHERE id = ${networkId}`;
  return row!.hints;
}

describe("the first free address, searched from the network's hints", () => {
  test("random adds and deletes give what the reference gives over every taken address", async () => {
    const cidrs = fc.constantFrom<string[]>(["10.90.0.9/28"], ["10.91.0.1/29", "fd91::1/125"], ["10.92.0.0/28"], ["fd93::7/124"]);
    const steps = fc.array(fc.oneof(fc.constant("add" as const), fc.nat(40)), { minLength: 5, maxLength: 30 });
    await fc.assert(
      fc.asyncProperty(cidrs, steps, async (address, plan) => {
        const networkId = await onlyNetwork(address);
        const token = await sessionToken();
        const alive: number[] = [];
        for (const step of plan) {
          if (step === "add") {
            const expected = allocateHosts(address, await takenAddresses(networkId));
            const device = await addDevice(token);
            expect(device.assigned).toBe(expected?.join(","));
            if (device.id !== undefined) alive.push(device.id);
          } else if (alive.length > 0) {
            const [id] = alive.splice(step % alive.length, 1);
            await db.sql`DELETE FROM devices WHERE id = ${id!}`;
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  test("each device moves the hint past its address; a delete lowers it to the freed address", async () => {
    const networkId = await onlyNetwork(["10.94.0.1/24", "fd94::1/64"]);
    const token = await sessionToken();
    expect(await hintsOf(networkId)).toBeNull();
    const first = await addDevice(token);
    await addDevice(token);
    expect(await hintsOf(networkId)).toEqual(["10.94.0.4", "fd94::4"]);
    await db.sql`DELETE FROM devices WHERE id = ${first.id!}`;
    expect(await hintsOf(networkId)).toEqual(["10.94.0.2", "fd94::2"]);
    expect((await addDevice(token)).assigned).toBe("10.94.0.2,fd94::2");
    expect((await addDevice(token)).assigned).toBe("10.94.0.4,fd94::4");
  });

  test("deleting the user deletes their devices and lowers the hint too", async () => {
    const networkId = await onlyNetwork(["10.95.0.1/24"]);
    const other = await sessionToken();
    const user = await addUser(db.sql);
    const token = await addToken(db.sql, user.id);
    expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
    expect((await addDevice(token)).assigned).toBe("10.95.0.2");
    expect((await addDevice(other)).assigned).toBe("10.95.0.3");
    await db.sql`DELETE FROM users WHERE id = ${user.id}`;
    expect(await hintsOf(networkId)).toEqual(["10.95.0.2"]);
    expect((await addDevice(other)).assigned).toBe("10.95.0.2");
  });

  test("a network whose address changes re-addresses its devices and searches its new range from the bottom", async () => {
    // Open to one group only, so that devices of earlier tests stay out of it.
    await db.sql`DELETE FROM networks`;
    const networkId = (await addNetwork(db.sql, { address: ["10.96.0.1/24"], allowedGroups: ["readdress"] })).id;
    const user = await addUser(db.sql);
    await db.sql`INSERT INTO group_members (group_id, user_id) SELECT id, ${user.id} FROM groups WHERE name = 'readdress'`;
    const token = await addToken(db.sql, user.id);
    expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
    await addDevice(token);
    expect(await hintsOf(networkId)).toEqual(["10.96.0.3"]);
    const [row] = await db.sql<Omit<NetworkInput, "address" | "allowed_groups">[]>`
      SELECT name, port, endpoint, dns, allowed_ips, keepalive_interval, peer_disconnect_threshold, mfa_mode FROM networks WHERE id = ${networkId}`;
    const changed = await updateNetwork(db.sql, networkId, { ...row!, address: ["10.97.0.1/24"], allowed_groups: ["readdress"] });
    expect(changed!.devices).toEqual({ added: 0, removed: 0, readdressed: 1 });
    expect(await hintsOf(networkId)).toBeNull();
    expect(await takenAddresses(networkId)).toEqual(["10.97.0.2"]);
    expect((await addDevice(token)).assigned).toBe("10.97.0.3");
  });

  test("addresses written by a path that takes no lock, above and below the hint, are stepped over", async () => {
    const networkId = await onlyNetwork(["10.98.0.1/24"]);
    const token = await sessionToken();
    const first = await addDevice(token);
    expect(first.assigned).toBe("10.98.0.2");
    const other = await addUser(db.sql);
    const [manual] = await db.sql<{ id: number }[]>`INSERT INTO devices (user_id, name, pubkey) VALUES (${other.id}, 'manual', ${newDeviceKey()}) RETURNING id`;
    await db.sql`INSERT INTO network_devices (network_id, device_id) VALUES (${networkId}, ${manual!.id})`;
    await db.sql`
      INSERT INTO network_device_addresses (network_id, device_id, address)
      SELECT ${networkId}, ${manual!.id}, ('10.98.0.' || n)::inet FROM generate_series(3, 9) AS n`;
    expect((await addDevice(token)).assigned).toBe("10.98.0.10");
    expect(await hintsOf(networkId)).toEqual(["10.98.0.11"]);
  });

  test("a full network stays full and keeps its hint, refusing devices; a freed address is found again", async () => {
    const networkId = await onlyNetwork(["10.99.0.1/29"]);
    const token = await sessionToken();
    const assigned = [];
    for (let i = 0; i < 6; i++) assigned.push(await addDevice(token));
    expect(assigned.map((d) => d.assigned)).toEqual(["10.99.0.2", "10.99.0.3", "10.99.0.4", "10.99.0.5", "10.99.0.6", undefined]);
    expect(await hintsOf(networkId)).toEqual(["10.99.0.7"]);
    await db.sql`DELETE FROM devices WHERE id = ${assigned[3]!.id!}`;
    expect((await addDevice(token)).assigned).toBe("10.99.0.5");
    expect((await addDevice(token)).assigned).toBeUndefined();
  });
});
