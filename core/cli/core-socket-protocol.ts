// How the CLI and a running Core talk: HTTP over a Unix socket in the Core's data directory. The CLI sends
// its argv; the Core runs the command on its own database and answers every line written, in order, and
// the exit status. Only the socket file's owner may connect (mode 0600), so there is no password.
import { join, resolve } from "node:path";
import { z } from "zod";

export const CLI_SOCKET_NAME = "core.sock";
/** The one route the socket serves. */
export const CLI_RUN_PATH = "/v1/cli";
/** Longest argv a Core accepts: far above any real command line, low enough to bound the work. */
const MAX_ARGS = 256;

/** The socket of the Core that uses the embedded database in `dataDir` (resolved against the cwd). */
export function cliSocketPath(dataDir: string): string {
  return join(resolve(dataDir), CLI_SOCKET_NAME);
}

export const runRequestSchema = z.strictObject({ argv: z.array(z.string()).max(MAX_ARGS) });
export type RunRequest = z.infer<typeof runRequestSchema>;

export const runReplySchema = z.strictObject({
  /** Every line the command wrote, in order, with the stream it went to. */
  output: z.array(z.tuple([z.enum(["out", "err"]), z.string()])),
  exitCode: z.number().int().min(0).max(255),
});
export type RunReply = z.infer<typeof runReplySchema>;
