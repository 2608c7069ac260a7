import { afterEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase } from "../../test/support/database.ts";
import { type Database, openDatabase } from "./connection.ts";
import { DataDirInUseError } from "./data-dir-lock.ts";

// Bun's default is 5 s per test; starting PGlite alone can take several on a busy 2-core machine.
setDefaultTimeout(30_000);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function capturingLog() {
  const lines: string[] = [];
  return { lines, log: createLogger({ level: "debug", format: "text", target: "defguard_core::db", write: (l) => lines.push(l) }) };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "dg-embedded-"));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("openDatabase, embedded PGlite", () => {
  test("creates its data directory, migrates, keeps the data across a restart and migrates nothing twice", async () => {
    const dataDir = join(tempDir(), "nested", "data");
    const first = capturingLog();
    const db1 = await openDatabase({ kind: "embedded", dataDir }, first.log);
    expect(db1.kind).toBe("embedded");
    expect(db1.describe).toBe(`embedded PGlite in ${dataDir}`);
    await db1.sql`INSERT INTO users (username, email, first_name, last_name) VALUES ('alice', 'alice@example.com', 'Alice', 'A')`;
    await db1.close();
    expect(first.lines.some((l) => l.endsWith(`INFO defguard_core::db: Using database embedded PGlite in ${dataDir}`))).toBe(true);
    expect(first.lines.some((l) => l.includes("Applied database migration 0001_initial.sql"))).toBe(true);

    const second = capturingLog();
    const db2 = await openDatabase({ kind: "embedded", dataDir }, second.log);
    cleanups.push(db2.close);
    const users = await db2.sql<{ username: string; id: number }[]>`SELECT id, username FROM users`;
    expect([...users]).toEqual([{ id: 1, username: "alice" }]);
    expect(second.lines.some((l) => l.includes("Applied database migration"))).toBe(false);
    expect(second.lines.some((l) => l.includes("Database schema is up to date"))).toBe(true);
  });

  test("a second open of one data directory is refused while the first is open", async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ kind: "embedded", dataDir }, capturingLog().log);
    cleanups.push(db.close);
    const error = await openDatabase({ kind: "embedded", dataDir }, capturingLog().log).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toBe(
      `the embedded database in ${dataDir} is in use by process ${process.pid}; stop that process first, ` +
        "or use PostgreSQL (DEFGUARD_DB_HOST) so that several processes can share the database",
    );
  });

  test("a transaction on the single connection commits and rolls back", async () => {
    const db = await openDatabase({ kind: "embedded", dataDir: tempDir() }, capturingLog().log);
    cleanups.push(db.close);
    await db.sql.begin(async (tx) => {
      await tx`INSERT INTO groups (name) VALUES ('kept')`;
    });
    await db.sql
      .begin(async (tx) => {
        await tx`INSERT INTO groups (name) VALUES ('dropped')`;
        throw new Error("abort");
      })
      .catch(() => {});
    const names = await db.sql<{ name: string }[]>`SELECT name FROM groups ORDER BY id`;
    expect(names.map((n) => n.name)).toEqual(["admin", "kept"]);
  });
});

describe("openDatabase, PostgreSQL", () => {
  test("logs host, port, name and user but never the password", async () => {
    const test = await createTestDatabase({ migrated: false });
    cleanups.push(test.cleanup);
    if (test.config.kind !== "postgres") return;
    const { lines, log } = capturingLog();
    const db: Database = await openDatabase({ ...test.config, password: "s3cret-Pw!" }, log);
    cleanups.push(db.close);
    const c = test.config;
    expect(db.describe).toBe(`postgres://postgres@127.0.0.1:5432/${c.database}`);
    expect(lines.some((l) => l.endsWith(`INFO defguard_core::db: Using database postgres://postgres@127.0.0.1:5432/${c.database}`))).toBe(true);
    expect(lines.join("\n")).not.toContain("s3cret");
    const [row] = await db.sql<{ n: number }[]>`SELECT count(*) AS n FROM groups`;
    expect(row?.n).toBe(1);
  });

  test("an unreachable server fails openDatabase with the client's error", async () => {
    const { log } = capturingLog();
    const error = await openDatabase(
      { kind: "postgres", host: "127.0.0.1", port: 1, user: "postgres", password: "", database: "nothing" },
      log,
    ).catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });
});
