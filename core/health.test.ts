import { describe, expect, test } from "bun:test";
import { type AddressInfo, createServer } from "node:net";
import postgres from "postgres";
import { createTestDatabase } from "../test/support/database.ts";
import { assessHealth, probeDatabase } from "./health.ts";

const UP = { up: true } as const;
const DOWN = { up: false, error: "connection refused" } as const;

describe("assessHealth", () => {
  const cases: [string, Parameters<typeof assessHealth>, string][] = [
    ["database up, no proxy configured", [UP, { connected: 0, configured: 0 }], "ok"],
    ["database up, one of two links up", [UP, { connected: 1, configured: 2 }], "ok"],
    ["database up, every link up", [UP, { connected: 2, configured: 2 }], "ok"],
    ["database up, no link up of two", [UP, { connected: 0, configured: 2 }], "unavailable"],
    ["database down, links up", [DOWN, { connected: 2, configured: 2 }], "unavailable"],
    ["database down, no proxy configured", [DOWN, { connected: 0, configured: 0 }], "unavailable"],
  ];
  for (const [name, args, status] of cases) {
    test(`${name}: ${status}`, () => {
      const health = assessHealth(...args);
      expect(health).toEqual({ status: status as "ok", database: args[0].up ? "up" : "down", proxies: args[1] });
    });
  }
});

describe("probeDatabase", () => {
  test("up when SELECT 1 answers", async () => {
    const db = await createTestDatabase();
    try {
      expect(await probeDatabase(db.sql)).toEqual({ up: true });
    } finally {
      await db.cleanup();
    }
  });

  test("down with the driver's message when the database is closed", async () => {
    const db = await createTestDatabase();
    await db.close();
    try {
      const probe = await probeDatabase(db.sql);
      expect(probe.up).toBe(false);
      expect((probe as { error: string }).error.length).toBeGreaterThan(0);
    } finally {
      await db.cleanup();
    }
  });

  test("down when a server accepts the connection but never answers within the timeout", async () => {
    // A real socket that swallows the startup message: what a hung database or a black-holed route looks like.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    const sql = postgres({ host: "127.0.0.1", port, user: "postgres", database: "test", max: 1, connect_timeout: 5 });
    try {
      expect(await probeDatabase(sql, 200)).toEqual({ up: false, error: "no answer within 200 ms" });
    } finally {
      await sql.end({ timeout: 0 });
      silent.close();
    }
  });
});
