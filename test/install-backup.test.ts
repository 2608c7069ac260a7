// The backup and restore procedures of docs/backup.md, run as written: the `sh -c '...'` scripts the doc
// runs inside the db container (pg_dump, pg_restore) against the local PostgreSQL, and the embedded
// database's stop-copy-restore with tar. A core opening the restored database applies nothing again.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseConfig } from "../core/config.ts";
import { openDatabase } from "../core/db/connection.ts";
import { createLogger } from "../shared/logger.ts";
import { ROOT } from "./install-compose.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { baseEnv } from "./support/services.ts";

setDefaultTimeout(60_000);

const DOC = readFileSync(join(ROOT, "docs/backup.md"), "utf8");
/** The scripts docs/backup.md runs with `docker compose exec -T db sh -c '<script>'`, in order. */
const IN_DB_CONTAINER = [...DOC.matchAll(/docker compose exec -T db sh -c '([^']+)'/g)].map((m) => m[1]!);
const DUMP = IN_DB_CONTAINER.find((s) => s.startsWith("pg_dump"))!;
const RESTORE_IN_PLACE = IN_DB_CONTAINER.find((s) => s.startsWith("pg_restore") && s.includes("--clean"))!;
const RESTORE_FRESH = IN_DB_CONTAINER.find((s) => s.startsWith("pg_restore") && !s.includes("--clean"))!;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dg-install-backup-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `script` as the db container would: `sh -c`, with the postgres image's variables set. */
function inDbContainer(script: string, database: string, stdin?: Uint8Array): { code: number; stdout: Uint8Array; stderr: string } {
  const result = Bun.spawnSync(["sh", "-c", script], {
    env: { ...baseEnv(), POSTGRES_USER: "postgres", POSTGRES_DB: database, PGHOST: "127.0.0.1", PGPORT: "5432" },
    stdin: stdin ?? "ignore",
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr.toString() };
}

async function addUser(sql: TestDatabase["sql"], username: string): Promise<void> {
  await sql`INSERT INTO users (username, email, first_name, last_name) VALUES (${username}, ${`${username}@example.com`}, 'A', 'B')`;
}

/** Opens the database as a starting core does, and returns the lines it logged. */
async function startLikeCore(config: DatabaseConfig): Promise<{ lines: string[]; names: string[] }> {
  const lines: string[] = [];
  const log = createLogger({ level: "info", format: "text", target: "test", write: (l) => lines.push(l) });
  const db = await openDatabase(config, log);
  try {
    return { lines, names: (await db.sql<{ username: string }[]>`SELECT username FROM users ORDER BY username`).map((r) => r.username) };
  } finally {
    await db.close();
  }
}

test("docs/backup.md has the dump and both restores", () => {
  expect(DUMP).toBe('pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Fc');
  expect(RESTORE_IN_PLACE).toContain("--single-transaction");
  expect(RESTORE_FRESH).toContain("--single-transaction");
});

describe("PostgreSQL: pg_dump and pg_restore as docs/backup.md runs them", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let dump: Uint8Array;

  beforeAll(async () => {
    source = await createTestDatabase();
    target = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await source?.cleanup();
    await target?.cleanup();
  });

  test("the dump of a running database is a custom-format archive", async () => {
    if (source.kind !== "postgres") return void process.stderr.write("install-backup: no PostgreSQL on 127.0.0.1:5432, pg_dump not checked\n");
    await addUser(source.sql, "alice");
    const result = inDbContainer(DUMP, source.config.kind === "postgres" ? source.config.database : "");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    dump = result.stdout;
    expect(Buffer.from(dump.subarray(0, 5)).toString()).toBe("PGDMP");
    writeFileSync(join(dir, "defguard.dump"), dump);
  });

  test("restoring in place brings back exactly what was dumped", async () => {
    if (source.kind !== "postgres") return;
    await source.sql`DELETE FROM users WHERE username = 'alice'`;
    await addUser(source.sql, "bob");
    await source.close(); // the doc stops the core first
    const name = source.config.kind === "postgres" ? source.config.database : "";
    const result = inDbContainer(RESTORE_IN_PLACE, name, dump);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const started = await startLikeCore(source.config);
    expect(started.names).toEqual(["alice"]);
    expect(started.lines.filter((l) => l.includes("Applied database migration"))).toEqual([]);
  });

  test("restoring into a fresh database gives a core that starts on it without migrating again", async () => {
    if (target.kind !== "postgres") return;
    await target.close();
    const name = target.config.kind === "postgres" ? target.config.database : "";
    const result = inDbContainer(RESTORE_FRESH, name, dump);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const started = await startLikeCore(target.config);
    expect(started.names).toEqual(["alice"]);
    expect(started.lines.filter((l) => l.includes("Applied database migration"))).toEqual([]);
  });
});

describe("embedded PGlite: stop, copy the directory, restore it", () => {
  test("a tar of DEFGUARD_DATA_DIR taken while stopped restores the data", async () => {
    const original = join(dir, "live", "data");
    mkdirSync(join(dir, "live"), { recursive: true });
    const config: DatabaseConfig = { kind: "embedded", dataDir: original };
    const log = createLogger({ level: "error", format: "text", target: "test" });
    const db = await openDatabase(config, log);
    await addUser(db.sql, "carol");
    await db.close(); // "stop the core"

    const archive = join(dir, "defguard-data.tgz");
    const pack = Bun.spawnSync(["tar", "-C", join(dir, "live"), "-czf", archive, "data"]);
    expect(pack.exitCode).toBe(0);
    rmSync(join(dir, "live"), { recursive: true, force: true });
    mkdirSync(join(dir, "restored"));
    const unpack = Bun.spawnSync(["tar", "-C", join(dir, "restored"), "-xzf", archive]);
    expect(unpack.exitCode).toBe(0);

    const started = await startLikeCore({ kind: "embedded", dataDir: join(dir, "restored", "data") });
    expect(started.names).toEqual(["carol"]);
    expect(started.lines.filter((l) => l.includes("Applied database migration"))).toEqual([]);
  });
});
