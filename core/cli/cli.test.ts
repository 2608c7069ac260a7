// The command line as an admin runs it: `bun core/cli.ts ...` as a child process against a test database.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { openDatabase } from "../db/connection.ts";
import { hashToken } from "../tokens.ts";
import { createLogger } from "../../shared/logger.ts";
import { MAIN_USAGE } from "./usage.ts";

// Each run starts a process; the embedded ones also start PGlite (seconds on a busy machine).
setDefaultTimeout(60_000);

const CLI = join(import.meta.dir, "..", "cli.ts");
const ENROLLMENT_URL = "https://vpn.example.com/enroll";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const child = Bun.spawn([process.execPath, CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", DEFGUARD_ENROLLMENT_URL: ENROLLMENT_URL, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

const quiet = createLogger({ level: "error", format: "text", target: "test" });

describe("cli against PostgreSQL (or the test default)", () => {
  let db: TestDatabase;
  const run = (...args: string[]) => cli(db.env, ...args);
  beforeAll(async () => {
    db = await createTestDatabase();
    // An embedded directory is the CLI's only while this process keeps it closed.
    if (db.kind === "embedded") await db.close();
  });
  afterAll(() => db.cleanup());

  /** Runs `fn` on the database between CLI runs (reopening the embedded one for the moment). */
  async function inspect<T>(fn: (sql: TestDatabase["sql"]) => Promise<T>): Promise<T> {
    if (db.kind === "postgres") return fn(db.sql);
    const opened = await openDatabase(db.config, quiet);
    try {
      return await fn(opened.sql);
    } finally {
      await opened.close();
    }
  }

  test("--help prints the usage; no or unknown commands and options are usage errors (2)", async () => {
    expect(await run("--help")).toEqual({ code: 0, stdout: MAIN_USAGE + "\n", stderr: "" });
    expect(await run()).toEqual({ code: 2, stdout: "", stderr: 'error: no command given\nRun "bun run cli --help" for usage.\n' });
    expect(await run("user", "fly")).toEqual({ code: 2, stdout: "", stderr: 'error: unknown command "user fly"\nRun "bun run cli --help" for usage.\n' });
    expect(await run("user", "list", "--bogus")).toEqual({
      code: 2, stdout: "", stderr: "error: user list: Unknown option '--bogus'\nRun \"bun run cli user list --help\" for usage.\n",
    });
    expect(await run("user", "enroll")).toEqual({
      code: 2, stdout: "", stderr: 'error: user enroll: missing <username>\nRun "bun run cli user enroll --help" for usage.\n',
    });
    const help = await run("user", "enroll", "--help");
    expect([help.code, help.stdout.split("\n")[0]]).toEqual([0, "Usage: bun run cli user enroll <username> [--email <email>]"]);
  });

  test("user add: adds the user; duplicates and bad options are refused (1) naming the option", async () => {
    const add = ["user", "add", "alice", "--email", "alice@example.com", "--first-name", "Alice", "--last-name", "Liddell"];
    expect(await run(...add)).toEqual({ code: 0, stdout: "Added user alice (id 1)\n", stderr: "" });
    expect(await run(...add)).toEqual({ code: 1, stdout: "", stderr: "error: username alice is already taken\n" });
    expect(await run("user", "add", "bob", "--first-name", "Bob", "--last-name", "B")).toEqual({ code: 1, stdout: "", stderr: "error: --email: is required\n" });
    expect(await run("user", "add", "bob", "--email", "bob@example.com", "--first-name", "Bob", "--last-name", "B", "--password", "weak")).toEqual({
      code: 1, stdout: "", stderr: "error: --password: password must be at least 8 characters long\n",
    });
    expect(await run("user", "add", "--email", "bob@example.com", "--first-name", "Bob", "--last-name", "B", "--", "-bob")).toEqual({
      code: 1, stdout: "", stderr: "error: username: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit\n",
    });
    const withPassword = await run("user", "add", "bob", "--email", "bob@example.com", "--first-name", "Bob", "--last-name", "Builder", "--password", "Str0ng-pass");
    expect(withPassword).toEqual({ code: 0, stdout: expect.stringMatching(/^Added user bob \(id \d+\)\n$/), stderr: "" });
  });

  test("user list: a table, or JSON with --json", async () => {
    expect(await run("user", "list")).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "USERNAME  NAME           EMAIL              STATUS  ENROLLED  GROUPS",
        "alice     Alice Liddell  alice@example.com  active  no",
        "bob       Bob Builder    bob@example.com    active  yes",
        "",
      ].join("\n"),
    });
    const json = await run("user", "list", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).map((u: { username: string; enrolled: boolean }) => [u.username, u.enrolled])).toEqual([["alice", false], ["bob", true]]);
  });

  test("user enroll: prints only the link; the token is stored hashed; unknown users are refused", async () => {
    const res = await run("user", "enroll", "alice");
    expect([res.code, res.stderr]).toEqual([0, ""]);
    const token = res.stdout.match(/^https:\/\/vpn\.example\.com\/enroll\?token=([A-Za-z0-9]{32})\n$/)?.[1];
    expect(token).toBeDefined();
    const rows = await inspect((sql) => sql`SELECT kind, admin_id FROM tokens WHERE token_hash = ${hashToken(token!)}`);
    expect([...rows]).toEqual([{ kind: "ENROLLMENT", admin_id: null }]);
    expect(await run("user", "enroll", "nobody")).toEqual({ code: 1, stdout: "", stderr: "error: user nobody not found\n" });
    expect(await run("user", "enroll", "alice", "--email", "x")).toEqual({ code: 1, stdout: "", stderr: "error: --email: expected an email address\n" });
  });

  test("user enroll of a user who has a password gives a device link and says so on stderr", async () => {
    const res = await run("user", "enroll", "bob");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^https:\/\/vpn\.example\.com\/enroll\?token=[A-Za-z0-9]{32}\n$/);
    expect(res.stderr).toBe("bob has already enrolled: this link adds a device\n");
  });

  test("user unlock: forgets the user's failed admin logins (issue 14: the operator on the host is never locked out)", async () => {
    const [bob] = await inspect((sql) => sql<{ id: number }[]>`SELECT id FROM users WHERE username = 'bob'`);
    await inspect((sql) => sql`INSERT INTO login_failures (key, failures, last_failure_at) VALUES (${`user:${bob!.id}`}, 40, now())`);
    expect(await run("user", "unlock", "bob")).toEqual({ code: 0, stdout: "Forgot the failed admin logins of bob: they may log in again\n", stderr: "" });
    expect([...(await inspect((sql) => sql`SELECT 1 FROM login_failures WHERE key = ${`user:${bob!.id}`}`))]).toEqual([]);
    expect(await run("user", "unlock", "bob")).toEqual({ code: 0, stdout: "No failed admin logins of bob are counted\n", stderr: "" });
    expect(await run("user", "unlock", "nobody")).toEqual({ code: 1, stdout: "", stderr: "error: user nobody not found\n" });
  });

  test("network add and list", async () => {
    const add = await run("network", "add", "--name", "office", "--address", "10.1.0.1/24,fd00::1/64", "--port", "51820",
      "--endpoint", "vpn.example.com", "--allowed-ips", "10.1.0.0/24", "--dns", "10.1.0.1");
    const [row] = await inspect((sql) => sql<{ id: number; pubkey: string }[]>`SELECT id, pubkey FROM networks WHERE name = 'office'`);
    expect(add).toEqual({ code: 0, stdout: `Added network office (id ${row!.id}) with public key ${row!.pubkey}; 0 existing device(s) joined it\n`, stderr: "" });
    expect(await run("network", "list")).toEqual({
      code: 0,
      stderr: "",
      stdout: [
        "ID  NAME    ADDRESS                 PORT   ENDPOINT         ALLOWED IPS  PUBLIC KEY",
        `${row!.id}   office  10.1.0.1/24,fd00::1/64  51820  vpn.example.com  10.1.0.0/24  ${row!.pubkey}`,
        "",
      ].join("\n"),
    });
    expect(JSON.parse((await run("network", "list", "--json")).stdout)[0]).not.toHaveProperty("privkey");
  });

  test("network add refuses bad values naming the option", async () => {
    const base = ["network", "add", "--name", "lab", "--endpoint", "vpn.example.com", "--allowed-ips", "0.0.0.0/0"];
    expect(await run(...base, "--address", "10.2.0.0/24", "--port", "51821")).toEqual({
      code: 1, stdout: "", stderr: "error: --address: 10.2.0.0/24 is the network's own address; give the gateway's, e.g. 10.2.0.1/24\n",
    });
    expect(await run(...base, "--address", "10.2.0.1/24", "--port", "port")).toEqual({ code: 1, stdout: "", stderr: "error: --port: expected a port number (1-65535)\n" });
    expect(await run(...base, "--address", "10.2.0.1/24")).toEqual({ code: 1, stdout: "", stderr: "error: --port: is required\n" });
    expect(await run(...base, "--address", "10.2.0.1/24", "--port", "51821", "--allowed-groups", "ghosts")).toEqual({
      code: 1, stdout: "", stderr: "error: allowed_groups: group ghosts not found\n",
    });
    expect(await run("network", "add", "--name", "office", "--address", "10.3.0.1/24", "--port", "1", "--endpoint", "e", "--allowed-ips", "10.3.0.0/24")).toEqual({
      code: 1, stdout: "", stderr: "error: network office already exists\n",
    });
  });

  test("a bad environment or an unreachable database fails with the reason (1)", async () => {
    expect(await cli({ ...db.env, DEFGUARD_DB_PORT: "abc" }, "user", "list")).toEqual({
      code: 1, stdout: "", stderr: "error: cannot start, invalid environment:\n  - DEFGUARD_DB_PORT: expected a port number (0-65535)\n",
    });
    const down = await cli({ DEFGUARD_DB_HOST: "127.0.0.1", DEFGUARD_DB_PORT: "1", DEFGUARD_DB_USER: "postgres" }, "user", "list");
    expect([down.code, down.stdout]).toEqual([1, ""]);
    expect(down.stderr).toStartWith("error: cannot use the database: ");
    expect(down.stderr).not.toContain("    at ");
  });
});

describe("cli against the embedded database", () => {
  // With a Core holding the directory the CLI goes through the Core: core-socket.test.ts and
  // test/cli-quick-start.test.ts.
  test("with no Core running, works on the data directory the Core uses", async () => {
    const db = await createEmbeddedTestDatabase();
    try {
      await db.close();
      const add = await cli(db.env, "user", "add", "zoe", "--email", "zoe@example.com", "--first-name", "Zoe", "--last-name", "Z");
      expect(add).toEqual({ code: 0, stdout: "Added user zoe (id 1)\n", stderr: "" });
      const core = await openDatabase(db.config, quiet);
      try {
        const [user] = await core.sql<{ username: string }[]>`SELECT username FROM users`;
        expect(user?.username).toBe("zoe");
      } finally {
        await core.close();
      }
    } finally {
      await db.cleanup();
    }
  });
});
