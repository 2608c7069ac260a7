// The command line's driver: picks the command, parses its options, opens the Core's database, runs it,
// and turns every outcome into an exit status (0 done, 1 refused or failed, 2 wrong usage).
import { parseArgs } from "node:util";
import { AppError } from "../../shared/errors.ts";
import { EnvError } from "../../shared/env.ts";
import { createLogger } from "../../shared/logger.ts";
import { loadCoreConfig } from "../config.ts";
import { openDatabase } from "../db/connection.ts";
import { DataDirInUseError } from "../db/data-dir-lock.ts";
import { MigrationError } from "../db/migrate.ts";
import type { Command } from "./command.ts";
import { networkAdd, networkList } from "./network-commands.ts";
import type { CliIo } from "./output.ts";
import { MAIN_USAGE, USAGE } from "./usage.ts";
import { userAdd, userEnroll, userList } from "./user-commands.ts";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const COMMANDS: Record<string, Command> = {
  "user add": userAdd,
  "user list": userList,
  "user enroll": userEnroll,
  "network add": networkAdd,
  "network list": networkList,
};

class UsageError extends Error {
  constructor(message: string, readonly helpCommand = "bun run cli --help") {
    super(message);
  }
}

type Parsed = { name: string; command: Command; options: Record<string, string | boolean | undefined>; args: Record<string, string> };

function parseCommand(argv: string[]): Parsed | "help" {
  const name = argv.slice(0, 2).join(" ");
  const command = COMMANDS[name];
  if (!command) throw new UsageError(argv.length ? `unknown command "${name}"` : "no command given");
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(2), options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (err) {
    // node's message goes on about positionals starting with '-'; the first sentence is the point.
    const reason = (err as Error).message.split(". To specify")[0];
    throw new UsageError(`${name}: ${reason}`, `bun run cli ${name} --help`);
  }
  if (parsed.values.help) return "help";
  const missing = command.positionals.slice(parsed.positionals.length);
  if (missing.length) throw new UsageError(`${name}: missing <${missing.join("> <")}>`, `bun run cli ${name} --help`);
  const extra = parsed.positionals.slice(command.positionals.length);
  if (extra.length) throw new UsageError(`${name}: unexpected argument "${extra[0]}"`, `bun run cli ${name} --help`);
  const args = Object.fromEntries(command.positionals.map((p, i) => [p, parsed.positionals[i]!]));
  return { name, command, options: parsed.values as Parsed["options"], args };
}

/** The message for an error the user can act on, or null for a bug (reported with its stack). */
function explain(err: unknown): string | null {
  if (err instanceof AppError || err instanceof DataDirInUseError || err instanceof MigrationError) return err.message;
  if (err instanceof EnvError) return `cannot start, ${err.message}`;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "CONNECT_TIMEOUT" || code === "3D000" || code === "28P01") {
    return `cannot use the database: ${(err as Error).message}`;
  }
  return null;
}

async function execute(parsed: Parsed, env: Record<string, string | undefined>, io: CliIo): Promise<void> {
  const config = loadCoreConfig(env);
  // Logs go to stderr, warnings only: stdout carries the command's result (e.g. the link to hand out).
  const log = createLogger({ level: "warn", format: config.log.format, target: "defguard_core::cli", write: io.err });
  const db = await openDatabase(config.db, log);
  try {
    await parsed.command.run({ sql: db.sql, config, io, options: parsed.options, args: parsed.args });
  } finally {
    await db.close();
  }
}

/** Runs one command line (`argv` without the program name); resolves to the exit status. */
export async function runCli(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.out(MAIN_USAGE);
    return EXIT_OK;
  }
  let parsed: Parsed | "help";
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`error: ${err.message}\nRun "${err.helpCommand}" for usage.`);
    return EXIT_USAGE;
  }
  if (parsed === "help") {
    io.out(USAGE[argv.slice(0, 2).join(" ")]!);
    return EXIT_OK;
  }
  try {
    await execute(parsed, env, io);
    return EXIT_OK;
  } catch (err) {
    const message = explain(err);
    io.err(`error: ${message ?? (err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
    return EXIT_FAILED;
  }
}
