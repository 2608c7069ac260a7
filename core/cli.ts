// `bun run cli <command>`: manage users and networks in the Core's database (see core/cli/usage.ts).
import { runCli } from "./cli/run.ts";
import { processIo } from "./cli/output.ts";

process.exitCode = await runCli(process.argv.slice(2), process.env, processIo);
