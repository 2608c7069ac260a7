// The CLI's side of the CLI socket (see core-socket-protocol.ts): hands a command line to the running Core
// and replays its answer, or says that no Core answers so that the CLI opens the database itself.
import type { CliIo } from "./output.ts";
import { CLI_RUN_PATH, type RunRequest, runReplySchema } from "./core-socket-protocol.ts";

/** A Core that has not answered a command by then is reported, not waited for forever. */
const CORE_REPLY_TIMEOUT_MS = 60_000;

/** The socket is there but the Core cannot be used through it (not its owner, a wrong answer, no answer). */
export class CoreUnreachableError extends Error {
  constructor(path: string, reason: string, cause?: unknown) {
    super(`cannot run the command through the Core on ${path}: ${reason}`, { cause });
    this.name = "CoreUnreachableError";
  }
}

function failureReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") return "permission denied; run the CLI as the user the Core runs as";
  if ((err as Error | undefined)?.name === "TimeoutError") return `no answer within ${CORE_REPLY_TIMEOUT_MS / 1000} s`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `argv` on the Core listening on `path`, writes what the command wrote to `io`, and resolves to its
 * exit status; resolves to null when no Core listens there (no socket file, or a killed Core's).
 * Throws CoreUnreachableError otherwise.
 */
export async function runOnCore(path: string, argv: string[], io: CliIo): Promise<number | null> {
  const body: RunRequest = { argv };
  let response: Response;
  try {
    response = await fetch(`http://localhost${CLI_RUN_PATH}`, {
      unix: path,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CORE_REPLY_TIMEOUT_MS),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (code === "ENOENT" || code === "ECONNREFUSED") return null;
    throw new CoreUnreachableError(path, failureReason(err), err);
  }
  const text = await response.text();
  let reply;
  try {
    reply = runReplySchema.parse(JSON.parse(text));
  } catch (err) {
    throw new CoreUnreachableError(path, `unexpected answer (HTTP ${response.status}): ${text.slice(0, 200)}`, err);
  }
  for (const [stream, line] of reply.output) io[stream](line);
  return reply.exitCode;
}
