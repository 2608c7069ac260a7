// The CLI socket on a real embedded database in this process: what it accepts, its file's mode and life,
// and the CLI waiting for a Core that holds the database before it answers.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEmbeddedTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { createLogger } from "../../shared/logger.ts";
import { loadCoreConfig } from "../config.ts";
import { runOnCore } from "./core-client.ts";
import { CliSocketError, startCliSocket } from "./core-socket.ts";
import { CLI_RUN_PATH } from "./core-socket-protocol.ts";
import type { CliIo } from "./output.ts";
import { runCli } from "./run.ts";

setDefaultTimeout(60_000);

const quiet = createLogger({ level: "error", format: "text", target: "test" });
let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createEmbeddedTestDatabase();
  env = { ...db.env, DEFGUARD_ENROLLMENT_URL: "https://vpn.example.com" };
});
afterAll(() => db.cleanup());

function socketFor(dataDir = db.env.DEFGUARD_DATA_DIR!) {
  return startCliSocket({ dataDir, sql: db.sql, config: loadCoreConfig(env), log: quiet });
}

/** Collects what a command writes, in order. */
function capture(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(`out: ${line}`), err: (line) => lines.push(`err: ${line}`) };
}

describe("the Core's CLI socket", () => {
  test("runs a command line and answers its lines and exit status; the file is 0600 and goes on stop", async () => {
    const socket = socketFor();
    try {
      expect((statSync(socket.path).mode & 0o777).toString(8)).toBe("600");
      const io = capture();
      expect(await runOnCore(socket.path, ["user", "add", "ann", "--email", "ann@example.com", "--first-name", "Ann", "--last-name", "A"], io)).toBe(0);
      expect(await runOnCore(socket.path, ["user", "enroll", "ghost"], io)).toBe(1);
      expect(await runOnCore(socket.path, ["user"], io)).toBe(2);
      expect(io.lines).toEqual([
        "out: Added user ann (id 1)",
        "err: error: user ghost not found",
        'err: error: unknown command "user"\nRun "bun run cli --help" for usage.',
      ]);
    } finally {
      await socket.stop();
    }
    expect(existsSync(socket.path)).toBe(false);
  });

  test("refuses anything but POST of {argv: [strings]} to its one path, with the reason", async () => {
    const socket = socketFor();
    const send = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`http://localhost${path}`, { unix: socket.path, ...init });
      return [res.status, await res.json()];
    };
    try {
      expect(await send("/")).toEqual([404, { error: "not found" }]);
      expect(await send(CLI_RUN_PATH)).toEqual([405, { error: "method not allowed" }]);
      const expected = [400, { error: 'expected a JSON object {"argv": [strings]}' }];
      expect(await send(CLI_RUN_PATH, { method: "POST", body: "{" })).toEqual(expected);
      expect(await send(CLI_RUN_PATH, { method: "POST", body: '{"argv": "user list"}' })).toEqual(expected);
      expect(await send(CLI_RUN_PATH, { method: "POST", body: '{"argv": [], "env": {}}' })).toEqual(expected);
      expect(await send(CLI_RUN_PATH, { method: "POST", body: JSON.stringify({ argv: Array(257).fill("x") }) })).toEqual(expected);
    } finally {
      await socket.stop();
    }
  });

  test("a file left where the socket goes is replaced; with no listener behind it the CLI is told no Core answers", async () => {
    const path = join(db.env.DEFGUARD_DATA_DIR!, "core.sock");
    writeFileSync(path, "");
    expect(await runOnCore(path, ["user", "list"], capture())).toBeNull();
    const socket = socketFor();
    try {
      expect(statSync(path).isSocket()).toBe(true);
    } finally {
      await socket.stop();
    }
    expect(await runOnCore(path, ["user", "list"], capture())).toBeNull();
  });

  test("a data directory too long for a socket path stops startup naming DEFGUARD_DATA_DIR", () => {
    const long = `/tmp/${"d".repeat(100)}`;
    expect(() => socketFor(long)).toThrow(CliSocketError);
    expect(() => socketFor(long)).toThrow(
      `cannot listen for the CLI on ${long}/core.sock (DEFGUARD_DATA_DIR): a socket path may have at most 107 bytes; choose a shorter directory`,
    );
  });
});

describe("the CLI beside a process that holds the embedded database", () => {
  test("waits for it to answer on its socket (a Core starting), then runs the command through it", async () => {
    let socket: ReturnType<typeof socketFor> | undefined;
    const io = capture();
    const err = io.err;
    // The database is open in this process (as in a Core before its socket listens); the socket opens
    // once the CLI says it waits.
    io.err = (line) => {
      err(line);
      if (line.includes("waiting up to")) socket = socketFor();
    };
    try {
      expect(await runCli(["network", "list"], env, io)).toBe(0);
    } finally {
      await socket?.stop();
    }
    const dir = db.env.DEFGUARD_DATA_DIR!;
    expect(io.lines).toEqual([
      `err: process ${process.pid} has the embedded database open; waiting up to 15 s for it to answer on ${dir}/core.sock`,
      "out: ID  NAME  ADDRESS  PORT  ENDPOINT  ALLOWED IPS  PUBLIC KEY",
    ]);
  });

  test("reports the process when it never answers", async () => {
    const io = capture();
    expect(await runCli(["user", "list"], env, io, { coreStartWaitMs: 300 })).toBe(1);
    const dir = db.env.DEFGUARD_DATA_DIR!;
    expect(io.lines).toEqual([
      `err: process ${process.pid} has the embedded database open; waiting up to 0.3 s for it to answer on ${dir}/core.sock`,
      `err: error: the embedded database in ${dir} is in use by process ${process.pid}; stop that process first, or use PostgreSQL (DEFGUARD_DB_HOST) so that several processes can share the database`,
    ]);
  });
});
