import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { connectDatabase } from "./connection.ts";
import { MigrationError, migrate, readMigrations } from "./migrate.ts";

const log = createLogger({ level: "error", format: "text", target: "test" });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrated: false });
  cleanups.push(db.cleanup);
  return db;
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dg-migrations-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("migrate", () => {
  test("applies every file of core/db/migrations on a fresh database, then nothing the second time", async () => {
    const db = await freshDatabase();
    const names = readMigrations().map((m) => m.name);
    expect(names[0]).toBe("0001_initial.sql");
    expect(await migrate(db.sql, log)).toEqual(names);
    expect(await migrate(db.sql, log)).toEqual([]);
    const rows = await db.sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`;
    expect(rows.map((r) => r.name)).toEqual(names);
    const [admin] = await db.sql<{ name: string }[]>`SELECT name FROM groups`;
    expect(admin?.name).toBe("admin");
  });

  test("two cores migrating one fresh database at once apply each file exactly once", async () => {
    const db = await freshDatabase();
    if (db.config.kind !== "postgres") return; // one connection only on embedded: nothing can race there
    const other = await connectDatabase(db.config, log);
    cleanups.push(other.close);
    const dir = migrationsDir({
      "0001_probe.sql": "CREATE TABLE probe_runs (name text NOT NULL);\nINSERT INTO probe_runs VALUES ('0001');\nSELECT pg_sleep(0.2);",
      "0002_more.sql": "INSERT INTO probe_runs VALUES ('0002');",
      "0003_more.sql": "INSERT INTO probe_runs VALUES ('0003');",
    });
    const [a, b] = await Promise.all([migrate(db.sql, log, dir), migrate(other.sql, log, dir)]);
    expect([...a!, ...b!].sort()).toEqual(["0001_probe.sql", "0002_more.sql", "0003_more.sql"]);
    const runs = await db.sql<{ name: string }[]>`SELECT name FROM probe_runs ORDER BY name`;
    expect(runs.map((r) => r.name)).toEqual(["0001", "0002", "0003"]);
  });

  test("a failing file is rolled back, names itself, and stops the later files", async () => {
    const db = await freshDatabase();
    const dir = migrationsDir({
      "0001_ok.sql": "CREATE TABLE ok_table (id int);",
      "0002_bad.sql": "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;",
      "0003_later.sql": "CREATE TABLE later_table (id int);",
    });
    const error = await migrate(db.sql, log, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toBe('migration 0002_bad.sql failed: relation "no_such_table" does not exist');
    const tables = await db.sql<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
    expect(tables.map((t) => t.name)).toEqual(["ok_table", "schema_migrations"]);
  });

  test("an applied file edited afterwards is refused", async () => {
    const db = await freshDatabase();
    const dir = migrationsDir({ "0001_one.sql": "CREATE TABLE one (id int);" });
    await migrate(db.sql, log, dir);
    writeFileSync(join(dir, "0001_one.sql"), "CREATE TABLE one (id bigint);");
    const error = await migrate(db.sql, log, dir).catch((e: unknown) => e);
    expect((error as Error).message).toBe("migration 0001_one.sql was changed after it was applied; add a new migration file instead");
  });

  test("files not named NNNN_name.sql are ignored", async () => {
    const dir = migrationsDir({ "0002_b.sql": "", "0001_a.sql": "", "README.md": "", "1_short.sql": "", "0003_c.sql.bak": "" });
    expect(readMigrations(dir).map((m) => m.name)).toEqual(["0001_a.sql", "0002_b.sql"]);
  });
});
