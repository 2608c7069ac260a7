// The command line's driver: parses the command, runs it through the running Core or on the database
// itself, and turns every outcome into an exit status (0 done, 1 refused or failed, 2 wrong usage).
// With the embedded database only one process may open it, so a Core that holds it runs the command
// (core-socket.ts); with PostgreSQL the CLI always opens the database itself.
import type postgres from "postgres";
import { AppError } from "../../shared/errors.ts";
import { EnvError } from "../../shared/env.ts";
import { createLogger } from "../../shared/logger.ts";
import { type CoreConfig, loadCoreConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/connection.ts";
import { DataDirInUseError } from "../db/data-dir-lock.ts";
import { MigrationError } from "../db/migrate.ts";
import { type ParsedCommand, UsageError, parseCommandLine } from "./commands.ts";
import { CoreUnreachableError, runOnCore } from "./core-client.ts";
import { cliSocketPath } from "./core-socket-protocol.ts";
import type { CliIo } from "./output.ts";
import { MAIN_USAGE, USAGE } from "./usage.ts";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A Core that holds the embedded database answers on its socket once its database is open. */
const CORE_START_WAIT_MS = 15_000;
const CORE_POLL_MS = 250;

/** The message for an error the user can act on, or null for a bug (reported with its stack). */
function explain(err: unknown): string | null {
  if (err instanceof AppError || err instanceof DataDirInUseError || err instanceof MigrationError || err instanceof CoreUnreachableError) return err.message;
  if (err instanceof EnvError) return `cannot start, ${err.message}`;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "CONNECT_TIMEOUT" || code === "3D000" || code === "28P01") {
    return `cannot use the database: ${(err as Error).message}`;
  }
  return null;
}

/** Help and usage errors, then `execute` for a command; every failure it throws is printed and is status 1. */
async function dispatch(argv: string[], io: CliIo, execute: (parsed: ParsedCommand) => Promise<number>): Promise<number> {
  let line;
  try {
    line = parseCommandLine(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`error: ${err.message}\nRun "${err.helpCommand}" for usage.`);
    return EXIT_USAGE;
  }
  if (line.kind === "main-help") return (io.out(MAIN_USAGE), EXIT_OK);
  if (line.kind === "help") return (io.out(USAGE[line.name]!), EXIT_OK);
  try {
    return await execute(line);
  } catch (err) {
    const message = explain(err);
    io.err(`error: ${message ?? (err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
    return EXIT_FAILED;
  }
}

async function runParsed(parsed: ParsedCommand, target: { sql: postgres.Sql; config: CoreConfig }, io: CliIo): Promise<number> {
  await parsed.command.run({ ...target, io, options: parsed.options, args: parsed.args });
  return EXIT_OK;
}

/** Runs one command line on an open database: the Core's side of the CLI socket. */
export function runCommandOn(argv: string[], target: { sql: postgres.Sql; config: CoreConfig }, io: CliIo): Promise<number> {
  return dispatch(argv, io, (parsed) => runParsed(parsed, target, io));
}

/** Asks the Core on `socket` until it answers or `waitMs` passes; null when it never did. */
async function waitForCore(socket: string, argv: string[], io: CliIo, waitMs: number): Promise<number | null> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    await Bun.sleep(CORE_POLL_MS);
    const status = await runOnCore(socket, argv, io);
    if (status !== null) return status;
  }
  return null;
}

export interface CliOptions {
  /** How long to wait for a Core that holds the embedded database but does not answer yet (default 15 s). */
  coreStartWaitMs?: number;
}

/** Runs one command line (`argv` without the program name) as `bun run cli`; resolves to the exit status. */
export function runCli(argv: string[], env: Record<string, string | undefined>, io: CliIo, options: CliOptions = {}): Promise<number> {
  return dispatch(argv, io, async (parsed) => {
    const config = loadCoreConfig(env);
    const socket = config.db.kind === "embedded" ? cliSocketPath(config.db.dataDir) : null;
    if (socket) {
      const status = await runOnCore(socket, argv, io);
      if (status !== null) return status;
    }
    // Logs go to stderr, warnings only: stdout carries the command's result (e.g. the link to hand out).
    const log = createLogger({ level: "warn", format: config.log.format, target: "defguard_core::cli", write: io.err });
    let db: Database;
    try {
      db = await openDatabase(config.db, log);
    } catch (err) {
      if (!(err instanceof DataDirInUseError) || !socket) throw err;
      // A Core holds the directory and does not answer yet: it is starting; its socket follows its database.
      const waitMs = options.coreStartWaitMs ?? CORE_START_WAIT_MS;
      io.err(`process ${err.pid} has the embedded database open; waiting up to ${waitMs / 1000} s for it to answer on ${socket}`);
      const status = await waitForCore(socket, argv, io, waitMs);
      if (status === null) throw err;
      return status;
    }
    try {
      return await runParsed(parsed, { sql: db.sql, config }, io);
    } finally {
      await db.close();
    }
  });
}
