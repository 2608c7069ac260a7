// What a command of the command line is: its options, its positional arguments, and what it does.
import type { ParseArgsOptionsConfig } from "node:util";
import type postgres from "postgres";
import type { CoreConfig } from "../config.ts";
import type { CliIo } from "./output.ts";

export interface CommandContext {
  sql: postgres.Sql;
  config: CoreConfig;
  io: CliIo;
  /** Option values by name as typed (`first-name`); booleans for flags. */
  options: Record<string, string | boolean | undefined>;
  /** Positional arguments by the names the command declares. */
  args: Record<string, string>;
}

export interface Command {
  options: ParseArgsOptionsConfig;
  /** Names of the required positional arguments, in order. */
  positionals: string[];
  run(ctx: CommandContext): Promise<void>;
}

/** A string option, or undefined when absent. */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === "string" ? value : undefined;
}
