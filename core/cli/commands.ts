// The command line's commands by name, and the parsing of one command line into a command, its options
// and its arguments (pure: the same on the CLI's side and on the Core's side of the socket).
import { parseArgs } from "node:util";
import type { Command } from "./command.ts";
import { networkAdd, networkList } from "./network-commands.ts";
import { userAdd, userEnroll, userList, userUnlock } from "./user-commands.ts";

const COMMANDS: Record<string, Command> = {
  "user add": userAdd,
  "user list": userList,
  "user enroll": userEnroll,
  "user unlock": userUnlock,
  "network add": networkAdd,
  "network list": networkList,
};

/** Wrong usage (exit status 2): the message, and the help command to suggest. */
export class UsageError extends Error {
  constructor(message: string, readonly helpCommand = "bun run cli --help") {
    super(message);
    this.name = "UsageError";
  }
}

export type ParsedCommand = {
  name: string;
  command: Command;
  options: Record<string, string | boolean | undefined>;
  args: Record<string, string>;
};

/** What a command line asks for: the main help, one command's help, or a command to run. */
export type CommandLine = { kind: "main-help" } | { kind: "help"; name: string } | ({ kind: "run" } & ParsedCommand);

/** Parses `argv` (without the program name). Throws UsageError. */
export function parseCommandLine(argv: string[]): CommandLine {
  if (argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") return { kind: "main-help" };
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
  if (parsed.values.help) return { kind: "help", name };
  const missing = command.positionals.slice(parsed.positionals.length);
  if (missing.length) throw new UsageError(`${name}: missing <${missing.join("> <")}>`, `bun run cli ${name} --help`);
  const extra = parsed.positionals.slice(command.positionals.length);
  if (extra.length) throw new UsageError(`${name}: unexpected argument "${extra[0]}"`, `bun run cli ${name} --help`);
  const args = Object.fromEntries(command.positionals.map((p, i) => [p, parsed.positionals[i]!]));
  return { kind: "run", name, command, options: parsed.values as ParsedCommand["options"], args };
}
