// Opens the Core's database, PostgreSQL or the embedded PGlite, behind one `postgres` client, and brings
// its schema up to date before anyone uses it.
import postgres from "postgres";
import type { DatabaseConfig } from "../config.ts";
import type { Logger } from "../../shared/logger.ts";
import { startEmbeddedServer } from "./embedded-server.ts";
import { migrate } from "./migrate.ts";

/** Connections to a real PostgreSQL; the embedded server takes exactly one. */
const POSTGRES_POOL_SIZE = 10;
const CLOSE_TIMEOUT_S = 5;
const INT8_OID = 20;

export interface Database {
  sql: postgres.Sql;
  kind: "postgres" | "embedded";
  /** Where the data lives, for logs: `postgres://user@host:port/name` or `embedded PGlite in /dir`. */
  describe: string;
  /** Ends the client (waiting up to 5 s for running queries), then the embedded server if any. */
  close(): Promise<void>;
}

/**
 * Options shared by both kinds. `bigint`/`bigserial` columns and `count(*)` arrive as JS numbers (ids
 * stay far below 2^53); server notices go to the debug log instead of the console.
 */
export function clientOptions(log: Logger): postgres.Options<{}> {
  return {
    types: {
      int8: { to: INT8_OID, from: [INT8_OID], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
    } as unknown as Record<string, postgres.PostgresType>,
    onnotice: (notice) => log.debug("database notice", { message: notice.message }),
    connection: { application_name: "defguard-core" },
  };
}

async function openPostgres(config: Extract<DatabaseConfig, { kind: "postgres" }>, log: Logger): Promise<Database> {
  const sql = postgres({
    ...clientOptions(log),
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.database,
    max: POSTGRES_POOL_SIZE,
  });
  return {
    sql,
    kind: "postgres",
    describe: `postgres://${config.user}@${config.host}:${config.port}/${config.database}`,
    close: () => sql.end({ timeout: CLOSE_TIMEOUT_S }),
  };
}

async function openEmbedded(config: Extract<DatabaseConfig, { kind: "embedded" }>, log: Logger): Promise<Database> {
  const server = await startEmbeddedServer(config.dataDir);
  // One connection: PGlite serves one session; a transaction must use its own `tx`, never this `sql`.
  const sql = postgres({ ...clientOptions(log), host: server.host, port: server.port, user: "postgres", database: "postgres", max: 1 });
  return {
    sql,
    kind: "embedded",
    describe: `embedded PGlite in ${server.dataDir}`,
    async close() {
      try {
        await sql.end({ timeout: CLOSE_TIMEOUT_S });
      } finally {
        await server.close();
      }
    },
  };
}

/**
 * Connects to the configured database without touching its schema (tests of migrations need that);
 * PostgreSQL is only dialled on the first query. Throws DataDirInUseError for a busy embedded directory.
 */
export async function connectDatabase(config: DatabaseConfig, log: Logger): Promise<Database> {
  return config.kind === "postgres" ? openPostgres(config, log) : openEmbedded(config, log);
}

/**
 * Connects to the configured database, logs which one is in use (never the password), applies pending
 * migrations, and returns it. Throws (after closing what it opened) when the database is unreachable,
 * a migration fails, or the embedded data directory is in use by another process.
 */
export async function openDatabase(config: DatabaseConfig, log: Logger): Promise<Database> {
  const db = await connectDatabase(config, log);
  log.info(`Using database ${db.describe}`);
  try {
    await migrate(db.sql, log);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
  return db;
}
