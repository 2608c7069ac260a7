// The install docs against the code: every variable they name is one a service reads, every log line or
// log message they quote is one the services print (so that an admin can grep for it), and the .env
// step does what it says.
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coreEnvSchema } from "../core/config.ts";
import { proxyEnvSchema } from "../proxy/config.ts";
import { gatewayEnvSchema } from "../gateway/config.ts";
import { BASE_FILE, ROOT, loadCompose, parseDotEnv } from "./install-compose.ts";

const DOCS = ["docs/install.md", "docs/deployment.md", "docs/upgrade.md", "docs/backup.md"];
/** The compose file's names for the gateway's variables (`DEFGUARD_GATEWAY_TOKEN` → `DEFGUARD_TOKEN`). */
const GATEWAY_COMPOSE_NAMES = [...readFileSync(join(ROOT, BASE_FILE), "utf8").matchAll(/\$\{(DEFGUARD_GATEWAY_[A-Z_]+)/g)].map((m) => m[1]!);
const KNOWN = new Set([...Object.keys(coreEnvSchema.shape), ...Object.keys(proxyEnvSchema.shape), ...Object.keys(gatewayEnvSchema.shape), ...GATEWAY_COMPOSE_NAMES]);
/** Lines the services print, with the target: `INFO defguard_proxy::server: Starting ...`. */
const LOG_LINE = /\b(?:TRACE|DEBUG|INFO|WARN|ERROR) (?:defguard\w*(?:::\w+)*): (.+)$/;
/** What varies from one installation to the next inside a quoted line: addresses, URLs, versions, ids. */
const VARIABLE_PART = /\w+:\/\/\S+|\w+=\S*|\S+\.sql|\[?[0-9a-f]*:[0-9a-f:.]+\]?(?::\d+)?|\d[\d.:;x]*|\S+\.example\.com\S*|\.\.\.|\([^)]*\)/g;
const MIN_FRAGMENT = 12;

function sources(): string {
  const glob = new Bun.Glob("{core,proxy,shared,gateway}/**/*.{ts,tsx}");
  return [...glob.scanSync(ROOT)]
    .filter((f) => !f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(ROOT, f), "utf8"))
    .join("\n")
    .replace(/(["'`])\s*\+\s*\n\s*\1/g, ""); // "a " +\n "b": one message split over two literals
}

const code = sources();
const read = (doc: string) => readFileSync(join(ROOT, doc), "utf8");

describe("install docs", () => {
  for (const doc of DOCS) {
    test(`${doc}: every DEFGUARD_ variable is one the core, the proxy or the gateway reads`, () => {
      const named = new Set(read(doc).match(/\bDEFGUARD_[A-Z0-9_]+/g) ?? []);
      // `DEFGUARD_DB_*` and `DEFGUARD_PROXY_GRPC_CLIENT_CERT/_KEY` name a family: a prefix of known names.
      const unknown = [...named].filter((name) => (name.endsWith("_") ? ![...KNOWN].some((k) => k.startsWith(name)) : !KNOWN.has(name)));
      expect(unknown).toEqual([]);
    });

    test(`${doc}: every quoted log line is one the services print`, () => {
      for (const line of read(doc).split("\n")) {
        const message = LOG_LINE.exec(line)?.[1];
        if (!message) continue;
        for (const fragment of message.split(VARIABLE_PART).map((f) => f.trim())) {
          if (fragment.length < MIN_FRAGMENT) continue;
          expect({ doc, fragment, printed: code.includes(fragment) }).toEqual({ doc, fragment, printed: true });
        }
      }
    });
  }

  test("docs/upgrade.md: each cause in the table of connection failures is the core's own wording", () => {
    const rows = read("docs/upgrade.md")
      .split("\n")
      .filter((l) => l.startsWith("| `"));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const row of rows) {
      const cause = /^\| `([^`]+)`/.exec(row)![1]!;
      expect({ cause, printed: code.includes(cause) }).toEqual({ cause, printed: true });
    }
  });
});

test("docs/install.md step 2: the secret-filling loop fills the three random secrets and leaves the admin password to the admin", () => {
  const block = /```sh\n([^`]*openssl rand[^`]*)```/.exec(read("docs/install.md"))?.[1];
  expect(block).toBeDefined();
  // Run as written, minus the interactive editor; `chmod 600 .env` included.
  const script = block!.split("\n").filter((l) => !l.includes("$EDITOR")).join("\n");
  const dir = mkdtempSync(join(tmpdir(), "dg-install-env-"));
  try {
    copyFileSync(join(ROOT, ".env.example"), join(dir, ".env"));
    const run = Bun.spawnSync(["sh", "-e", "-c", script], { cwd: dir, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    expect({ code: run.exitCode, stderr: run.stderr.toString() }).toEqual({ code: 0, stderr: "" });
    const env = parseDotEnv(readFileSync(join(dir, ".env"), "utf8"));
    for (const secret of ["DEFGUARD_DB_PASSWORD", "DEFGUARD_AUTH_SECRET", "DEFGUARD_PROXY_COOKIE_KEY"]) expect(env[secret]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([env.DEFGUARD_DB_PASSWORD, env.DEFGUARD_AUTH_SECRET, env.DEFGUARD_PROXY_COOKIE_KEY]).size).toBe(3);
    expect(env.DEFGUARD_DEFAULT_ADMIN_PASSWORD).toBe("");
    expect(() => loadCompose([BASE_FILE], env)).toThrow("missing variables: DEFGUARD_DEFAULT_ADMIN_PASSWORD");
    expect((statSync(join(dir, ".env")).mode & 0o777).toString(8)).toBe("600");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
