// new_device and existing_device through dispatch() on a real database: key and name rules, which
// networks a device joins, full networks, polling tokens, and the race for the last addresses.
import { describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../../shared/errors.ts";
import type { TestDatabase } from "../../../test/support/database.ts";
import { hashToken } from "../../tokens.ts";
import { DEVICE_MESSAGES, SESSION_MESSAGES } from "../enrollment.ts";
import { NETWORK_FULL_MESSAGE } from "./network-assignment.ts";
import { addNetwork, addToken, addUser, errorOf, newDeviceKey, type Harness, useEnrollmentHarness } from "./test-fixtures.ts";

let db: TestDatabase;
let h: Harness;
useEnrollmentHarness((started) => ({ db, h } = started));

const invalid = (message: string) => ({ status_code: GrpcStatus.INVALID_ARGUMENT, message });
const preconditionFailed = (message: string) => ({ status_code: GrpcStatus.FAILED_PRECONDITION, message });

/** A user with an open enrollment session. */
async function session(seed: Parameters<typeof addUser>[1] = {}) {
  const user = await addUser(db.sql, seed);
  const token = await addToken(db.sql, user.id);
  expect(errorOf(await h.call("enrollment_start", { token }))).toBeUndefined();
  return { user, token };
}

async function newDevice(token: string | undefined, name: string, pubkey = newDeviceKey()) {
  return h.call("new_device", { token, name, pubkey });
}

/** Runs `fn` with settings.max_devices_per_user at `max`, then puts the default (10) back. */
async function withDeviceLimit<T>(max: number, fn: () => Promise<T>): Promise<T> {
  await db.sql`UPDATE settings SET max_devices_per_user = ${max} WHERE id = 1`;
  try {
    return await fn();
  } finally {
    await db.sql`UPDATE settings SET max_devices_per_user = 10 WHERE id = 1`;
  }
}

/** `count` new_device requests of the session of `token` at once. */
const racers = (token: string, count: number) => Promise.all(Array.from({ length: count }, (_, i) => newDevice(token, `racer-${i}`)));

/** Each test works on its own networks: the others are removed so assignments are predictable. */
async function onlyNetworks(...seeds: Parameters<typeof addNetwork>[1][]) {
  await db.sql`DELETE FROM networks`;
  const networks = [];
  for (const seed of seeds) networks.push(await addNetwork(db.sql, seed));
  return networks;
}

describe("new_device", () => {
  test("without a token or before the session started it is UNAUTHENTICATED", async () => {
    expect(errorOf(await newDevice(undefined, "laptop"))).toEqual({ status_code: GrpcStatus.UNAUTHENTICATED, message: SESSION_MESSAGES.tokenMissing });
    const user = await addUser(db.sql);
    const token = await addToken(db.sql, user.id);
    expect(errorOf(await newDevice(token, "laptop"))).toEqual({ status_code: GrpcStatus.UNAUTHENTICATED, message: SESSION_MESSAGES.sessionNotStarted });
  });

  test("refuses keys that are not 32 bytes of standard padded base64", async () => {
    const { token } = await session();
    const raw = Buffer.from(newDeviceKey(), "base64");
    const bad = [
      "",
      "not base64 at all!",
      raw.subarray(0, 31).toString("base64"),
      Buffer.concat([raw, Buffer.from([1])]).toString("base64"),
      raw.toString("base64url"),
      raw.toString("base64").replace("=", ""),
      ` ${raw.toString("base64")}`,
    ];
    for (const pubkey of bad) expect(errorOf(await newDevice(token, "laptop", pubkey))).toEqual(invalid(DEVICE_MESSAGES.pubkeyInvalid));
  });

  test("refuses blank, too long and multi-line names; 64 characters are fine", async () => {
    const { token } = await session();
    expect(errorOf(await newDevice(token, "   "))).toEqual(invalid(DEVICE_MESSAGES.nameRequired));
    expect(errorOf(await newDevice(token, "x".repeat(65)))).toEqual(invalid(DEVICE_MESSAGES.nameTooLong));
    expect(errorOf(await newDevice(token, "two\nlines"))).toEqual(invalid(DEVICE_MESSAGES.nameControlCharacters));
    expect(errorOf(await newDevice(token, "ż".repeat(64)))).toBeUndefined();
  });

  test("a name the user already has is refused; another user may use it", async () => {
    const alice = await session();
    const bob = await session();
    expect(errorOf(await newDevice(alice.token, "phone"))).toBeUndefined();
    expect(errorOf(await newDevice(alice.token, "phone"))).toEqual(invalid(DEVICE_MESSAGES.nameTaken));
    expect(errorOf(await newDevice(bob.token, "phone"))).toBeUndefined();
  });

  test("a key already used by any device, or by a network, is refused and nothing is stored", async () => {
    const [network] = await onlyNetworks({ address: ["10.30.0.1/24"] });
    const alice = await session();
    const bob = await session();
    const key = newDeviceKey();
    expect(errorOf(await newDevice(alice.token, "laptop", key))).toBeUndefined();
    expect(errorOf(await newDevice(bob.token, "laptop", key))).toEqual(invalid(DEVICE_MESSAGES.pubkeyTaken));
    expect(errorOf(await newDevice(alice.token, "desktop", key))).toEqual(invalid(DEVICE_MESSAGES.pubkeyTaken));
    expect(errorOf(await newDevice(bob.token, "router", network!.pubkey))).toEqual(invalid(DEVICE_MESSAGES.pubkeyTaken));
    const [count] = await db.sql`SELECT count(*) AS n FROM devices WHERE user_id = ${bob.user.id}`;
    expect(count!.n).toBe(0);
  });

  test("joins only networks the user may use: no allowed groups means everyone, else a shared group", async () => {
    const [open, engineers, sales] = await onlyNetworks(
      { name: "open", address: ["10.40.0.1/24"] },
      { name: "engineering", address: ["10.41.0.1/24"], allowedGroups: ["engineers"] },
      { name: "sales", address: ["10.42.0.1/24"], allowedGroups: ["sales"] },
    );
    const { user, token } = await session();
    await db.sql`INSERT INTO group_members (group_id, user_id) SELECT id, ${user.id} FROM groups WHERE name = 'engineers'`;
    const response = (await newDevice(token, "laptop")).device_config!;
    expect(response.configs!.map((c) => [c.network_name, c.assigned_ip])).toEqual([
      [open!.name, "10.40.0.2"],
      [engineers!.name, "10.41.0.2"],
    ]);
    expect(response.configs!.some((c) => c.network_id === sales!.id)).toBe(false);
  });

  test("a full network refuses the device naming it: nothing is added, in no network", async () => {
    const [tiny, roomy] = await onlyNetworks({ name: "tiny", address: ["10.50.0.1/30"] }, { name: "roomy", address: ["10.51.0.1/24"] });
    const { user, token } = await session();
    const first = (await newDevice(token, "first")).device_config!;
    expect(first.configs!.map((c) => c.assigned_ip)).toEqual(["10.50.0.2", "10.51.0.2"]);
    expect(errorOf(await newDevice(token, "second"))).toEqual(preconditionFailed(NETWORK_FULL_MESSAGE(tiny!.name)));
    const [rows] = await db.sql<{ devices: number; addresses: number }[]>`
      SELECT (SELECT count(*)::int FROM devices WHERE user_id = ${user.id}) AS devices,
             (SELECT count(*)::int FROM network_device_addresses WHERE network_id = ${roomy!.id}) AS addresses`;
    expect(rows).toEqual({ devices: 1, addresses: 1 });
    expect(h.logLines.some((l) => l.includes(`Network ${tiny!.name} has no free address left: device second refused`))).toBe(true);
  });

  test("a dual-stack network with one family full refuses the device", async () => {
    await onlyNetworks({ name: "dual", address: ["10.60.0.1/30", "fd60::1/64"] });
    const { token } = await session();
    expect((await newDevice(token, "a")).device_config!.configs!.map((c) => c.assigned_ip)).toEqual(["10.60.0.2,fd60::2"]);
    expect(errorOf(await newDevice(token, "b"))).toEqual(preconditionFailed(NETWORK_FULL_MESSAGE("dual")));
  });

  test("a user's devices are limited by settings.max_devices_per_user (default 10)", async () => {
    await onlyNetworks({ name: "many", address: ["10.61.0.1/24"] });
    const { user, token } = await session();
    for (let i = 0; i < 10; i++) expect(errorOf(await newDevice(token, `d${i}`))).toBeUndefined();
    expect(errorOf(await newDevice(token, "d10"))).toEqual(preconditionFailed(DEVICE_MESSAGES.limitReached(10)));
    await withDeviceLimit(11, async () => {
      expect(errorOf(await newDevice(token, "d10"))).toBeUndefined();
      expect(errorOf(await newDevice(token, "d11"))).toEqual(preconditionFailed(DEVICE_MESSAGES.limitReached(11)));
    });
    const [count] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM devices WHERE user_id = ${user.id}`;
    expect(count!.n).toBe(11);
  });

  test("the address of a deleted device is given again first; addresses after it follow on", async () => {
    await onlyNetworks({ name: "reuse", address: ["10.65.0.1/24", "fd65::1/64"] });
    const { token } = await session();
    const assigned = [];
    for (const name of ["a", "b", "c"]) assigned.push((await newDevice(token, name)).device_config!);
    expect(assigned.map((a) => a.configs![0]!.assigned_ip)).toEqual(["10.65.0.2,fd65::2", "10.65.0.3,fd65::3", "10.65.0.4,fd65::4"]);
    await db.sql`DELETE FROM devices WHERE id = ${Number(assigned[1]!.device!.id)}`;
    expect((await newDevice(token, "d")).device_config!.configs![0]!.assigned_ip).toBe("10.65.0.3,fd65::3");
    expect((await newDevice(token, "e")).device_config!.configs![0]!.assigned_ip).toBe("10.65.0.5,fd65::5");
  });

  test("the configs it answers are those read back from the database (network_info), IPv6 listed first or not", async () => {
    await onlyNetworks(
      { name: "v6-first", address: ["fd66::1/64", "10.66.0.1/24"], allowed_ips: ["fd66::/64", "10.66.0.0/24"], mfa_mode: "internal" },
      { name: "v4-only", address: ["10.67.0.1/24"], dns: null },
    );
    const { token } = await session();
    const pubkey = newDeviceKey();
    const created = (await newDevice(token, "laptop", pubkey)).device_config!;
    const readBack = (await h.call("existing_device", { token, pubkey })).device_config!;
    expect(created.configs).toEqual(readBack.configs!);
    expect(created.configs!.map((c) => c.assigned_ip)).toEqual(["10.66.0.2,fd66::2", "10.67.0.2"]);
  });

  test("a network's MFA mode reaches the device config", async () => {
    await onlyNetworks({ address: ["10.70.0.1/24"], mfa_mode: "internal", dns: null });
    const { token } = await session();
    const [config] = (await newDevice(token, "laptop")).device_config!.configs!;
    expect(config).toMatchObject({ mfa_enabled: true, location_mfa_mode: 2 });
    expect(config!.dns).toBeUndefined();
    expect(config!.config).not.toContain("DNS");
  });

  test("with admin-only device management a non-admin is PERMISSION_DENIED, an admin is not", async () => {
    await db.sql`UPDATE settings SET admin_device_management = true WHERE id = 1`;
    try {
      const user = await session();
      expect(errorOf(await newDevice(user.token, "laptop"))).toEqual({ status_code: GrpcStatus.PERMISSION_DENIED, message: DEVICE_MESSAGES.adminOnly });
      const admin = await session({ admin: true });
      expect(errorOf(await newDevice(admin.token, "laptop"))).toBeUndefined();
    } finally {
      await db.sql`UPDATE settings SET admin_device_management = false WHERE id = 1`;
    }
  });

  test("20 concurrent devices racing for 13 free addresses: no address given twice, the rest refused naming the network", async () => {
    const [network] = await onlyNetworks({ name: "race", address: ["10.80.0.1/28"] });
    const { user, token } = await session();
    const answers = await withDeviceLimit(100, () => racers(token, 20));
    expect(answers.filter((a) => errorOf(a)).map(errorOf)).toEqual(Array(7).fill(preconditionFailed(NETWORK_FULL_MESSAGE("race"))));
    const assigned = answers.flatMap((a) => a.device_config?.configs?.map((c) => c.assigned_ip!) ?? []);
    expect(assigned.length).toBe(13);
    expect(new Set(assigned).size).toBe(13);
    expect(assigned.every((ip) => /^10\.80\.0\.([2-9]|1[0-4])$/.test(ip))).toBe(true);
    const [rows] = await db.sql`SELECT count(*) AS n, count(DISTINCT address) AS distinct FROM network_device_addresses WHERE network_id = ${network!.id}`;
    expect(rows).toMatchObject({ n: 13, distinct: 13 });
    const [devices] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM devices WHERE user_id = ${user.id}`;
    expect(devices!.n).toBe(13);
  });

  test("10 concurrent devices of a user allowed 3: exactly 3 are added", async () => {
    await onlyNetworks({ name: "limit-race", address: ["10.81.0.1/24"] });
    const { user, token } = await session();
    const answers = await withDeviceLimit(3, () => racers(token, 10));
    expect(answers.filter((a) => !errorOf(a)).length).toBe(3);
    expect(answers.filter((a) => errorOf(a)).map(errorOf)).toEqual(Array(7).fill(preconditionFailed(DEVICE_MESSAGES.limitReached(3))));
    const [devices] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM devices WHERE user_id = ${user.id}`;
    expect(devices!.n).toBe(3);
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await Bun.sleep(25);
  }
  throw new Error("condition never held");
}

describe("new_device and the network locks", () => {
  test("a request whose session is refused does not wait for (nor take) the network locks", async () => {
    if (db.kind !== "postgres") return; // needs two connections at once
    await onlyNetworks({ address: ["10.86.0.1/24"] });
    const user = await addUser(db.sql);
    const notStarted = await addToken(db.sql, user.id);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = db.sql.begin(async (tx) => {
      await tx`SELECT id FROM networks FOR UPDATE`;
      holding();
      await released;
    });
    await held;
    try {
      const answers = await Promise.race([
        Promise.all([newDevice("A".repeat(32), "laptop"), newDevice(notStarted, "laptop")]),
        Bun.sleep(3_000).then(() => "still waiting for the lock" as const),
      ]);
      expect(answers).not.toBe("still waiting for the lock");
      expect((answers as Awaited<ReturnType<typeof newDevice>>[]).map((a) => errorOf(a)?.message)).toEqual([
        SESSION_MESSAGES.tokenInvalid,
        SESSION_MESSAGES.sessionNotStarted,
      ]);
    } finally {
      release();
      await holder;
    }
  });
});

describe("new_device address conflict behind the lock", () => {
  test("an address another transaction takes meanwhile (primary key conflict) is picked again", async () => {
    if (db.kind !== "postgres") return; // needs two connections at once
    const [network] = await onlyNetworks({ address: ["10.85.0.1/24"] });
    const other = await addUser(db.sql);
    const [manual] = await db.sql<{ id: number }[]>`
      INSERT INTO devices (user_id, name, pubkey) VALUES (${other.id}, 'manual', ${newDeviceKey()}) RETURNING id`;
    const { token } = await session();

    // A writer that does not take the network's lock holds 10.85.0.2, uncommitted.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const writer = db.sql.begin(async (tx) => {
      await tx`INSERT INTO network_devices (network_id, device_id) VALUES (${network!.id}, ${manual!.id})`;
      await tx`INSERT INTO network_device_addresses (network_id, device_id, address) VALUES (${network!.id}, ${manual!.id}, '10.85.0.2')`;
      holding();
      await released;
    });
    await held;

    const pending = newDevice(token, "laptop");
    await waitUntil(async () => {
      const [row] = await db.sql<{ n: number }[]>`
        SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE NOT l.granted AND a.datname = current_database()`;
      return row!.n > 0;
    });
    release();
    await writer;
    const answer = await pending;
    expect(errorOf(answer)).toBeUndefined();
    expect(answer.device_config!.configs!.map((c) => c.assigned_ip)).toEqual(["10.85.0.3"]);
  });
});

describe("existing_device", () => {
  test("answers the token user's own device and rotates its polling token", async () => {
    await onlyNetworks({ address: ["10.90.0.1/24"] });
    const { token } = await session();
    const key = newDeviceKey();
    const created = (await newDevice(token, "laptop", key)).device_config!;
    const again = await h.call("existing_device", { token, pubkey: key });
    expect(errorOf(again)).toBeUndefined();
    expect(again.device_config!.device).toEqual(created.device!);
    expect(again.device_config!.configs).toEqual(created.configs!);
    expect(again.device_config!.token).not.toBe(created.token!);
    const live = await db.sql`SELECT token_hash FROM polling_tokens WHERE device_id = ${Number(created.device!.id)}`;
    expect(live.map((r) => r.token_hash)).toEqual([hashToken(again.device_config!.token!)]);
  });

  test("another user's device and an unknown key are the same NOT_FOUND; a bad key is INVALID_ARGUMENT", async () => {
    const alice = await session();
    const bob = await session();
    const key = newDeviceKey();
    expect(errorOf(await newDevice(alice.token, "laptop", key))).toBeUndefined();
    const notFound = { status_code: GrpcStatus.NOT_FOUND, message: DEVICE_MESSAGES.deviceNotFound };
    expect(errorOf(await h.call("existing_device", { token: bob.token, pubkey: key }))).toEqual(notFound);
    expect(errorOf(await h.call("existing_device", { token: bob.token, pubkey: newDeviceKey() }))).toEqual(notFound);
    expect(errorOf(await h.call("existing_device", { token: bob.token, pubkey: "short" }))).toEqual(invalid(DEVICE_MESSAGES.pubkeyInvalid));
  });

  test("needs an open session like every enrollment request", async () => {
    expect(errorOf(await h.call("existing_device", { pubkey: newDeviceKey() }))).toEqual({ status_code: GrpcStatus.UNAUTHENTICATED, message: SESSION_MESSAGES.tokenMissing });
  });
});
