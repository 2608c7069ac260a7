// Runs the fuzz tests as `bun test` does and collects their figures (written by test/fuzz-api.test.ts
// to FUZZ_SUMMARY_FILE), so that `bun run chaos` prints them beside its own.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname;

export interface FuzzFigures {
  passed: boolean;
  /** Per run: requests, statuses, milliseconds. */
  runs: Record<string, { runs: number; statuses: string; ms: number }>;
  /** The test runner's last lines (pass/fail counts). */
  tail: string;
}

export async function runFuzz(log: (line: string) => void): Promise<FuzzFigures> {
  log("chaos: fuzz tests (bun test test/fuzz-*.test.ts)");
  const dir = mkdtempSync(join(tmpdir(), "dg-chaos-fuzz-"));
  const file = join(dir, "summary.json");
  try {
    const child = Bun.spawn([process.execPath, "test", "test/fuzz-api.test.ts", "test/fuzz-link.test.ts"], {
      cwd: ROOT,
      env: { ...process.env, FUZZ_SUMMARY_FILE: file },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    const lines = `${out}\n${err}`.split("\n").filter((l) => /^\s*\d+ (pass|fail)|^Ran /.test(l));
    let runs: FuzzFigures["runs"] = {};
    try {
      runs = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      // The API fuzz did not get to write its figures: the tail says why.
    }
    return { passed: code === 0, runs, tail: lines.join("; ") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
