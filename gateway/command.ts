// Running the system's network tools (`wg`, `ip`, hooks): one command, its output, and an error that
// says which command failed and what it printed. Secrets go through stdin or files, never the arguments.

export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(`${argv.slice(0, 3).join(" ")}… exited with ${exitCode}: ${stderr.trim() || "(no output)"}`);
    this.name = "CommandError";
  }
}

export interface RunOptions {
  /** Written to the command's stdin, then closed (keys are passed this way). */
  stdin?: string;
  env?: Record<string, string>;
}

/** Runs `argv` without a shell; resolves with stdout, rejects with CommandError on a non-zero exit. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<string> {
  const child = Bun.spawn([...argv], {
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: options.env ? { ...process.env, ...options.env } : undefined,
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new CommandError(argv, code, stderr);
  return stdout;
}

/** Runs `command` with `sh -c` (the PRE_UP/POST_UP/PRE_DOWN/POST_DOWN hooks); resolves with the exit code. */
export async function runShell(command: string): Promise<{ code: number; output: string }> {
  const child = Bun.spawn(["sh", "-c", command], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, output: (stdout + stderr).trim() };
}
