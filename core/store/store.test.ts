// Store rules the admin API cannot reach, and the store on the embedded database (arrays, JSON,
// savepoints and transactions through the single-connection PGlite socket).
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { hashToken } from "../tokens.ts";
import { addUserToGroup, createGroup } from "./groups.ts";
import { createNetwork, listNetworksForUser } from "./networks.ts";
import { inTransaction } from "./queryable.ts";
import { createSession, deleteExpiredSessions, deleteUserSessions, findSessionUser } from "./sessions.ts";
import { getSettings, updateSettings } from "./settings.ts";
import { issueUserToken } from "./user-tokens.ts";
import { createUser, deleteUser, getUserInfo, replacePasswordHash, setUserPassword } from "./users.ts";
import { listUserDevices } from "./devices.ts";
import type { NetworkInput } from "../networks/network-schema.ts";

// Bun's default is 5 s per test; starting PGlite alone can take several on a busy 2-core machine.
setDefaultTimeout(30_000);

const NET: NetworkInput = {
  name: "office", address: ["10.1.0.1/24", "fd00::1/64"], port: 51820, endpoint: "vpn.example.com", allowed_ips: ["10.1.0.0/24"],
  dns: null, keepalive_interval: 25, peer_disconnect_threshold: 300, allowed_groups: [], mfa_mode: "disabled",
};
const person = (username: string) => ({ username, email: `${username}@example.com`, first_name: username, last_name: "Test" });

async function exerciseStore(db: TestDatabase): Promise<void> {
  const sql = db.sql;
  const alice = await createUser(sql, person("alice"));
  const bob = await createUser(sql, person("bob"));
  await createGroup(sql, "staff");
  await addUserToGroup(sql, "staff", "alice");
  const { network: open } = await createNetwork(sql, NET);
  const { network: staffOnly } = await createNetwork(sql, { ...NET, name: "staff-only", allowed_groups: ["staff"] });
  expect(open.address).toEqual(["10.1.0.1/24", "fd00::1/64"]);
  expect((await listNetworksForUser(sql, alice.id)).map((n) => n.name)).toEqual(["office", "staff-only"]);
  expect((await listNetworksForUser(sql, bob.id)).map((n) => n.name)).toEqual(["office"]);

  // Store calls inside a caller's transaction: savepoints, rolled back with it.
  await sql
    .begin(async (tx) => {
      await issueUserToken(tx, { kind: "ENROLLMENT", userId: bob.id, adminId: null, email: null, validForS: 60 });
      await createNetwork(tx, { ...NET, name: "doomed" });
      throw new Error("roll back");
    })
    .catch(() => {});
  const [counts] = await sql<{ tokens: number; networks: number }[]>`
    SELECT (SELECT count(*) FROM tokens) AS tokens, (SELECT count(*) FROM networks) AS networks`;
  expect(counts).toEqual({ tokens: 0, networks: 2 });

  const [device] = await sql<{ id: number }[]>`INSERT INTO devices (user_id, name, pubkey) VALUES (${alice.id}, 'phone', 'k') RETURNING id`;
  await sql`INSERT INTO network_devices (network_id, device_id, is_authorized, authorized_at) VALUES (${staffOnly.id}, ${device!.id}, true, now())`;
  await sql`INSERT INTO network_device_addresses VALUES (${staffOnly.id}, ${device!.id}, 'fd00::2'), (${staffOnly.id}, ${device!.id}, '10.1.0.2')`;
  const [listed] = await listUserDevices(sql, "alice");
  expect(listed!.networks).toEqual([
    { network_id: staffOnly.id, network_name: "staff-only", addresses: ["10.1.0.2", "fd00::2"], is_authorized: true, authorized_at: expect.any(String) },
  ]);
  expect(listed!.created_at).toBeInstanceOf(Date);
  expect((await updateSettings(sql, { instance_name: "Acme" })).instance_name).toBe("Acme");
}

describe("store on PostgreSQL or the test default", () => {
  let db: TestDatabase;
  beforeAll(async () => void (db = await createTestDatabase()));
  afterAll(() => db.cleanup());

  test("users, groups, networks for a user, savepoints, devices and settings", () => exerciseStore(db));

  test("issuing a token replaces the user's unused tokens of that kind only", async () => {
    const sql = db.sql;
    const carol = await createUser(sql, person("carol"));
    const first = await issueUserToken(sql, { kind: "ENROLLMENT", userId: carol.id, adminId: null, email: "c@example.com", validForS: 3600 });
    const reset = await issueUserToken(sql, { kind: "PASSWORD_RESET", userId: carol.id, adminId: null, email: null, validForS: 60 });
    await sql`UPDATE tokens SET used_at = now() WHERE token_hash = ${hashToken(first.token)}`;
    const second = await issueUserToken(sql, { kind: "ENROLLMENT", userId: carol.id, adminId: null, email: null, validForS: 3600 });
    const third = await issueUserToken(sql, { kind: "ENROLLMENT", userId: carol.id, adminId: null, email: null, validForS: 3600 });
    const rows = await sql<{ token_hash: string }[]>`SELECT token_hash FROM tokens WHERE user_id = ${carol.id} ORDER BY token_hash`;
    expect(rows.map((r) => r.token_hash)).toEqual([first.token, reset.token, third.token].map(hashToken).sort());
    expect(second.token).not.toBe(third.token);
    expect(third.expiresAt.getTime() - Date.now()).toBeGreaterThan(3500_000);
  });

  test("sessions: found while live, gone when expired or ended for the user", async () => {
    const sql = db.sql;
    const dan = await createUser(sql, person("dan"));
    const live = await createSession(sql, dan.id, 3600);
    const old = await createSession(sql, dan.id, 3600);
    await sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id_hash = ${hashToken(old.id)}`;
    expect(await findSessionUser(sql, live.id)).toMatchObject({ userId: dan.id, username: "dan", isAdmin: false });
    expect(await findSessionUser(sql, old.id)).toBeNull();
    expect(await deleteExpiredSessions(sql)).toBeGreaterThanOrEqual(1);
    expect(await deleteUserSessions(sql, dan.id)).toBe(1);
    expect(await findSessionUser(sql, live.id)).toBeNull();
  });

  test("the last member of admin cannot be deleted; another one can", async () => {
    const sql = db.sql;
    await createUser(sql, person("eve"));
    await addUserToGroup(sql, "admin", "eve");
    await expect(deleteUser(sql, "eve")).rejects.toThrow("eve is the last member of group admin and cannot be deleted");
    await createUser(sql, person("fay"));
    await addUserToGroup(sql, "admin", "fay");
    expect(await deleteUser(sql, "eve")).toBe(true);
    expect(await getUserInfo(sql, "eve")).toBeNull();
    expect(await deleteUser(sql, "eve")).toBe(false);
  });

  test("a login's rehash replaces the hash it read, and not a password set since", async () => {
    const sql = db.sql;
    const gil = await createUser(sql, { ...person("gil"), password: "0ld-Password!" });
    const storedHash = async () => (await sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE id = ${gil.id}`)[0]!.password_hash;
    const readAtLogin = await storedHash();
    await setUserPassword(sql, gil.id, "N3w-Password!");
    const afterReset = await storedHash();
    expect(await replacePasswordHash(sql, gil.id, readAtLogin, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA")).toBe(false);
    expect(await storedHash()).toBe(afterReset);
    expect(await replacePasswordHash(sql, gil.id, afterReset, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA")).toBe(true);
    expect(await storedHash()).toBe("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
  });

  test("inTransaction opens a transaction on a client and a savepoint inside one", async () => {
    const sql = db.sql;
    await sql.begin(async (tx) => {
      await inTransaction(tx, async (inner) => void (await inner`INSERT INTO groups (name) VALUES ('kept')`));
      await inTransaction(tx, async (inner) => {
        await inner`INSERT INTO groups (name) VALUES ('undone')`;
        throw new Error("undo");
      }).catch(() => {});
    });
    const names = await sql<{ name: string }[]>`SELECT name FROM groups WHERE name IN ('kept', 'undone')`;
    expect(names.map((n) => n.name)).toEqual(["kept"]);
    expect((await getSettings(sql)).instance_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("store on the embedded PGlite", () => {
  test("the same store calls work through the single-connection socket", async () => {
    const db = await createEmbeddedTestDatabase();
    try {
      expect(db.kind).toBe("embedded");
      await exerciseStore(db);
    } finally {
      await db.cleanup();
    }
  });
});
