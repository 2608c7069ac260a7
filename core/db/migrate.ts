// Brings the schema up to date: the SQL files of core/db/migrations, applied once each, in name order,
// each in its own transaction. Several cores may start at once: an advisory lock makes them take turns.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type postgres from "postgres";
import type { Logger } from "../../shared/logger.ts";

export const MIGRATIONS_DIR = join(import.meta.dir, "migrations");
/** Any fixed number; every core uses the same one, so only one of them migrates at a time. */
const MIGRATION_LOCK_KEY = 4_447_470_375_003;
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 hex of the file: an applied migration that was edited afterwards is refused. */
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** The migration files of `dir` in the order they apply; other files are ignored. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((name) => MIGRATION_FILE.test(name))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), "utf8");
      return { name, sql: text, checksum: createHash("sha256").update(text).digest("hex") };
    });
}

type AppliedRow = { name: string; checksum: string };

/** Takes the lock for the rest of `tx` and makes sure the bookkeeping table exists. */
async function lockAndPrepare(tx: postgres.TransactionSql): Promise<Map<string, string>> {
  await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY}::bigint)`;
  await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
    name       text PRIMARY KEY,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;
  const rows = await tx<AppliedRow[]>`SELECT name, checksum FROM schema_migrations`;
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

function checkUnchanged(file: MigrationFile, appliedChecksum: string): void {
  if (appliedChecksum !== file.checksum) {
    throw new MigrationError(`migration ${file.name} was changed after it was applied; add a new migration file instead`);
  }
}

/** Applies one file unless another core did it while we waited for the lock; true when we applied it. */
async function applyOne(sql: postgres.Sql, file: MigrationFile): Promise<boolean> {
  return sql.begin(async (tx) => {
    const applied = await lockAndPrepare(tx);
    const done = applied.get(file.name);
    if (done !== undefined) {
      checkUnchanged(file, done);
      return false;
    }
    try {
      await tx.unsafe(file.sql).simple();
    } catch (err) {
      throw new MigrationError(`migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
    }
    await tx`INSERT INTO schema_migrations (name, checksum) VALUES (${file.name}, ${file.checksum})`;
    return true;
  });
}

/**
 * Applies the pending migrations of `dir`; returns the names it applied (empty when up to date).
 * Throws MigrationError when a file fails (its transaction is rolled back, later files are not tried) or
 * when an applied file's checksum no longer matches.
 */
export async function migrate(sql: postgres.Sql, log: Logger, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrations(dir);
  const applied = await sql.begin((tx) => lockAndPrepare(tx));
  const appliedNow: string[] = [];
  for (const file of files) {
    const done = applied.get(file.name);
    if (done !== undefined) {
      checkUnchanged(file, done);
      continue;
    }
    if (await applyOne(sql, file)) {
      log.info(`Applied database migration ${file.name}`);
      appliedNow.push(file.name);
    }
  }
  if (appliedNow.length === 0) log.debug("Database schema is up to date");
  return appliedNow;
}
