// The Core's side of the CLI socket (see core-socket-protocol.ts): listens in the data directory while
// the Core holds the embedded database, and runs each command line sent there as `bun run cli` would.
import { chmodSync, rmSync } from "node:fs";
import type postgres from "postgres";
import type { Logger } from "../../shared/logger.ts";
import type { CoreConfig } from "../config.ts";
import { CLI_RUN_PATH, type RunReply, cliSocketPath, runRequestSchema } from "./core-socket-protocol.ts";
import type { CliIo } from "./output.ts";
import { runCommandOn } from "./run.ts";

/** sun_path holds 108 bytes with the terminating NUL on Linux. */
const MAX_SOCKET_PATH_BYTES = 107;
/** Bits cleared while binding: the socket exists as 0600 from its first moment, never wider. */
const SOCKET_UMASK = 0o177;
const SOCKET_MODE = 0o600;

export interface CliSocket {
  /** The socket file's absolute path. */
  path: string;
  /** Stops accepting, lets commands in flight finish, and removes the socket file. */
  stop(): Promise<void>;
}

export interface CliSocketOptions {
  dataDir: string;
  sql: postgres.Sql;
  config: CoreConfig;
  log: Logger;
}

/** Thrown when the socket cannot be made; names the variable that places it. */
export class CliSocketError extends Error {
  constructor(path: string, reason: string, cause?: unknown) {
    super(`cannot listen for the CLI on ${path} (DEFGUARD_DATA_DIR): ${reason}`, { cause });
    this.name = "CliSocketError";
  }
}

function reply(body: RunReply | { error: string }, status = 200): Response {
  return Response.json(body, { status });
}

async function handle(request: Request, options: CliSocketOptions): Promise<Response> {
  if (new URL(request.url).pathname !== CLI_RUN_PATH) return reply({ error: "not found" }, 404);
  if (request.method !== "POST") return reply({ error: "method not allowed" }, 405);
  const parsed = runRequestSchema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) return reply({ error: 'expected a JSON object {"argv": [strings]}' }, 400);
  const output: RunReply["output"] = [];
  const io: CliIo = { out: (line) => output.push(["out", line]), err: (line) => output.push(["err", line]) };
  const exitCode = await runCommandOn(parsed.data.argv, { sql: options.sql, config: options.config }, io);
  // The command's name only: its options may carry a password.
  options.log.info(`CLI command "${parsed.data.argv.slice(0, 2).join(" ")}" exited with status ${exitCode}`);
  return reply({ output, exitCode });
}

/**
 * Listens on `<dataDir>/core.sock` (mode 0600). The caller holds the data directory's lock, so a socket
 * file already there is a killed Core's and is replaced. Throws CliSocketError.
 */
export function startCliSocket(options: CliSocketOptions): CliSocket {
  const path = cliSocketPath(options.dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new CliSocketError(path, `a socket path may have at most ${MAX_SOCKET_PATH_BYTES} bytes; choose a shorter directory`);
  }
  let server: Bun.Server<undefined>;
  const previousUmask = process.umask(SOCKET_UMASK);
  try {
    rmSync(path, { force: true });
    server = Bun.serve({ unix: path, fetch: (request) => handle(request, options) });
    chmodSync(path, SOCKET_MODE);
  } catch (err) {
    throw new CliSocketError(path, err instanceof Error ? err.message : String(err), err);
  } finally {
    process.umask(previousUmask);
  }
  options.log.info(`CLI socket listening on ${path}`);
  return {
    path,
    async stop() {
      await server.stop();
      rmSync(path, { force: true });
    },
  };
}
