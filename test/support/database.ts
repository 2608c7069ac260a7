// Fresh, migrated databases for tests: a database of its own on the local PostgreSQL (127.0.0.1:5432, user
// postgres, trust auth) when it answers, else an embedded PGlite in a temporary directory.
//
//   const db = await createTestDatabase();        // PostgreSQL if available, else embedded
//   try { await db.sql`...`; startCore({ ...config, db: db.config }) } finally { await db.cleanup(); }
//
// DEFGUARD_TEST_DATABASE=embedded (or =postgres) forces one kind for a whole run, e.g. to run every
// test on PGlite once: `DEFGUARD_TEST_DATABASE=embedded bun test`.
//
// Embedded: PGlite serves one process at a time. To let a child process (a core under test) open the
// same directory, call `db.close()` first; `cleanup()` still removes it afterwards.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { DatabaseConfig } from "../../core/config.ts";
import { connectDatabase, openDatabase, type Database } from "../../core/db/connection.ts";
import { createLogger, type Logger } from "../../shared/logger.ts";

const PG_HOST = "127.0.0.1";
const PG_PORT = 5432;
const PG_USER = "postgres";
const PG_ADMIN_DATABASE = "test";
const PROBE_TIMEOUT_S = 2;

export interface TestDatabase {
  /** Pass to the code under test (`loadCoreConfig` equivalents, `openDatabase`, child process env). */
  config: DatabaseConfig;
  /** A migrated client; on embedded a pool of one, so inside `sql.begin(tx => ...)` use only `tx`. */
  sql: postgres.Sql;
  kind: "postgres" | "embedded";
  /** DEFGUARD_DB_* / DEFGUARD_DATA_DIR variables that make a child process use this database. */
  env: Record<string, string>;
  /** Closes this process's connection (and the embedded server); safe to call twice. */
  close(): Promise<void>;
  /** Closes, then drops the database or deletes the temporary directory. */
  cleanup(): Promise<void>;
}

const quietLog: Logger = createLogger({ level: "error", format: "text", target: "test::database" });
let postgresAvailable: Promise<boolean> | undefined;
let announced = false;

function adminClient(): postgres.Sql {
  return postgres({ host: PG_HOST, port: PG_PORT, user: PG_USER, database: PG_ADMIN_DATABASE, max: 1, connect_timeout: PROBE_TIMEOUT_S, onnotice: () => {} });
}

async function probePostgres(): Promise<boolean> {
  const sql = adminClient();
  try {
    await sql`SELECT 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function announce(kind: string): void {
  if (announced) return;
  announced = true;
  process.stderr.write(`test databases: ${kind}\n`);
}

export interface TestDatabaseOptions {
  /** Apply core/db/migrations (default true); false gives an empty database for migration tests. */
  migrated?: boolean;
}

function open(config: DatabaseConfig, options: TestDatabaseOptions): Promise<Database> {
  return options.migrated === false ? connectDatabase(config, quietLog) : openDatabase(config, quietLog);
}

function wrap(db: Database, config: DatabaseConfig, env: Record<string, string>, destroy: () => Promise<void>): TestDatabase {
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= db.close());
  const cleanup = async () => {
    await close();
    await destroy();
  };
  return { config, sql: db.sql, kind: db.kind, env, close, cleanup };
}

/** A migrated embedded PGlite database in a new temporary directory, whatever PostgreSQL does. */
export async function createEmbeddedTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "dg-test-pglite-"));
  const config: DatabaseConfig = { kind: "embedded", dataDir };
  const db = await open(config, options);
  return wrap(db, config, { DEFGUARD_DATA_DIR: dataDir }, async () => rmSync(dataDir, { recursive: true, force: true }));
}

async function createPostgresTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const name = `dg_test_${randomBytes(6).toString("hex")}`;
  const admin = adminClient();
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const config: DatabaseConfig = { kind: "postgres", host: PG_HOST, port: PG_PORT, user: PG_USER, password: "", database: name };
  const env = { DEFGUARD_DB_HOST: PG_HOST, DEFGUARD_DB_PORT: String(PG_PORT), DEFGUARD_DB_USER: PG_USER, DEFGUARD_DB_NAME: name };
  const drop = async () => {
    const sql = adminClient();
    try {
      await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  };
  try {
    return wrap(await open(config, options), config, env, drop);
  } catch (err) {
    await drop();
    throw err;
  }
}

/**
 * A fresh migrated database `dg_test_<random>` on 127.0.0.1:5432 when PostgreSQL answers there, else an
 * embedded PGlite in a temporary directory (stderr says once which); DEFGUARD_TEST_DATABASE forces one.
 * Always `cleanup()` it.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const forced = process.env.DEFGUARD_TEST_DATABASE;
  if (forced === "embedded") {
    announce("embedded PGlite (DEFGUARD_TEST_DATABASE=embedded)");
    return createEmbeddedTestDatabase(options);
  }
  postgresAvailable ??= forced === "postgres" ? Promise.resolve(true) : probePostgres();
  if (await postgresAvailable) {
    announce(`PostgreSQL on ${PG_HOST}:${PG_PORT}`);
    return createPostgresTestDatabase(options);
  }
  announce("PostgreSQL not answering on 127.0.0.1:5432, using embedded PGlite");
  return createEmbeddedTestDatabase(options);
}
