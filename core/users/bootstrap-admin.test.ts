import { afterEach, describe, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { connectDatabase } from "../db/connection.ts";
import { addUserToGroup } from "../store/groups.ts";
import { createUser, deleteUser, findUser, getUserInfo, setUserPassword } from "../store/users.ts";
import { DefaultAdminPasswordError, bootstrapAdmin } from "./bootstrap-admin.ts";
import { verifyPassword } from "./passwords.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(db.cleanup);
  return db;
}

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: "info", format: "text", target: "defguard_core", write: (l) => lines.push(l) }) };
}

const WARNING = "WARN defguard_core: User admin still has the default password pass123; change it now";

describe("bootstrapAdmin", () => {
  test("first start creates admin in group admin, and warns at every start while the password is pass123", async () => {
    const db = await database();
    const first = capture();
    expect(await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, first.log)).toBe(true);
    const admin = await getUserInfo(db.sql, "admin");
    expect(admin).toMatchObject({ username: "admin", is_admin: true, groups: ["admin"], enrolled: true, is_active: true });
    expect(first.lines.some((l) => l.endsWith("INFO defguard_core: Created the first administrator, user admin in group admin"))).toBe(true);
    expect(first.lines.filter((l) => l.endsWith(WARNING))).toHaveLength(1);

    const second = capture();
    expect(await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, second.log)).toBe(false);
    expect(second.lines.filter((l) => l.endsWith(WARNING))).toHaveLength(1);
    expect(second.lines.some((l) => l.includes("Created"))).toBe(false);

    await setUserPassword(db.sql, admin!.id, "N3w-secret!");
    const third = capture();
    await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, third.log);
    expect(third.lines).toEqual([]);
  });

  test("DEFGUARD_DEFAULT_ADMIN_PASSWORD sets the first password; no warning and no password in the log", async () => {
    const db = await database();
    const { lines, log } = capture();
    await bootstrapAdmin(db.sql, { defaultAdminPassword: "Chosen-Pa55" }, log);
    const admin = await findUser(db.sql, "admin");
    expect(await verifyPassword("Chosen-Pa55", admin!.password_hash)).toBe(true);
    expect(lines.some((l) => l.includes("WARN"))).toBe(false);
    expect(lines.join("\n")).not.toContain("Chosen-Pa55");
  });

  test("users added before the first start (command line) do not stop the admin from being created", async () => {
    const db = await database();
    await createUser(db.sql, { username: "root", email: "root@example.com", first_name: "R", last_name: "R" });
    expect(await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, capture().log)).toBe(true);
    expect((await getUserInfo(db.sql, "admin"))?.is_admin).toBe(true);
  });

  test("a deleted admin does not come back while another administrator exists", async () => {
    const db = await database();
    await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, capture().log);
    await createUser(db.sql, { username: "boss", email: "boss@example.com", first_name: "B", last_name: "B" });
    await addUserToGroup(db.sql, "admin", "boss");
    await deleteUser(db.sql, "admin");
    expect(await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, capture().log)).toBe(false);
    expect(await findUser(db.sql, "admin")).toBeNull();
  });

  test("a non-admin user named admin is not promoted; a warning says nobody can administer", async () => {
    const db = await database();
    await createUser(db.sql, { username: "admin", email: "a@example.com", first_name: "A", last_name: "A" });
    const { lines, log } = capture();
    expect(await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, log)).toBe(false);
    expect((await getUserInfo(db.sql, "admin"))?.is_admin).toBe(false);
    expect(lines.map((l) => l.slice(l.indexOf(" ") + 1).trim())).toEqual([
      "WARN defguard_core: Group admin has no members, so nobody can use the admin API; user admin exists and was not promoted",
    ]);
  });

  test("two cores starting at once create one admin", async () => {
    const db = await database();
    if (db.config.kind !== "postgres") return;
    const other = await connectDatabase(db.config, capture().log);
    cleanups.push(other.close);
    const results = await Promise.all([
      bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, capture().log),
      bootstrapAdmin(other.sql, { defaultAdminPassword: "pass123" }, capture().log),
    ]);
    expect(results.sort()).toEqual([false, true]);
    const [row] = await db.sql<{ n: number }[]>`SELECT count(*) AS n FROM group_members`;
    expect(row!.n).toBe(1);
  });

  test("issue 14: pass123 on an admin API other hosts can reach stops startup, naming both variables", async () => {
    const db = await database();
    const err = await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, capture().log, { exposedAt: "0.0.0.0" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefaultAdminPasswordError);
    expect((err as Error).message).toBe(
      "the admin API would listen on 0.0.0.0 (DEFGUARD_HTTP_BIND_ADDRESS), reachable from other hosts, while user admin still has the default " +
        "password pass123: set DEFGUARD_DEFAULT_ADMIN_PASSWORD to a strong password (it replaces pass123 at this start), or set DEFGUARD_HTTP_BIND_ADDRESS=127.0.0.1",
    );
    // Changed password: no refusal, no warning.
    await setUserPassword(db.sql, (await findUser(db.sql, "admin"))!.id, "N3w-secret!");
    const after = capture();
    expect(await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, after.log, { exposedAt: "0.0.0.0" })).toBe(false);
    expect(after.lines).toEqual([]);
  });

  test("an admin still on pass123 gets DEFGUARD_DEFAULT_ADMIN_PASSWORD when it names another; a chosen password is never replaced", async () => {
    const db = await database();
    await bootstrapAdmin(db.sql, { defaultAdminPassword: "pass123" }, capture().log);
    const { lines, log } = capture();
    await bootstrapAdmin(db.sql, { defaultAdminPassword: "Chosen-Pa55" }, log, { exposedAt: "0.0.0.0" });
    expect(await verifyPassword("Chosen-Pa55", (await findUser(db.sql, "admin"))!.password_hash)).toBe(true);
    expect(lines.map((l) => l.slice(l.indexOf(" ") + 1).trim())).toEqual(["INFO defguard_core: User admin still had the default password; it is now DEFGUARD_DEFAULT_ADMIN_PASSWORD"]);
    await bootstrapAdmin(db.sql, { defaultAdminPassword: "Other-Pa55" }, capture().log);
    expect(await verifyPassword("Chosen-Pa55", (await findUser(db.sql, "admin"))!.password_hash)).toBe(true);
  });
});
