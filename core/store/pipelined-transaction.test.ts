// pipelinedTransaction on a real database: what it commits, what it rolls back, which error it throws,
// and that its connection comes back (the embedded database has only one).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { inOrder, pipelinedTransaction } from "./pipelined-transaction.ts";
import { uniqueViolation } from "./queryable.ts";

/** Starting PGlite (WASM) takes seconds on a busy 2-core machine. */
const EMBEDDED_TIMEOUT_MS = 60_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
});

async function groupNames(prefix: string): Promise<string[]> {
  const rows = await db.sql<{ name: string }[]>`SELECT name FROM groups WHERE name LIKE ${`${prefix}%`} ORDER BY name`;
  return rows.map((r) => r.name);
}

describe("pipelinedTransaction", () => {
  test("statements sent together with COMMIT are kept; results come back in order", async () => {
    const result = await pipelinedTransaction(db.sql, async ({ tx, commit }) => {
      const [first] = await tx<{ id: number }[]>`INSERT INTO groups (name) VALUES ('kept-1') RETURNING id`;
      const [, count] = await inOrder([tx`INSERT INTO groups (name) VALUES ('kept-2')`, tx<{ n: number }[]>`SELECT count(*)::int AS n FROM groups WHERE name LIKE 'kept-%'`, commit()] as const);
      return { id: first!.id, seen: count[0]!.n };
    });
    expect(result.seen).toBe(2);
    expect(await groupNames("kept-")).toEqual(["kept-1", "kept-2"]);
  });

  test("a statement that fails among those sent with COMMIT: its error is thrown, nothing is kept", async () => {
    const error = await pipelinedTransaction(db.sql, async ({ tx, commit }) => {
      await tx`INSERT INTO groups (name) VALUES ('dup-1')`;
      await inOrder([tx`INSERT INTO groups (name) VALUES ('dup-2')`, tx`INSERT INTO groups (name) VALUES ('dup-1')`, tx`INSERT INTO groups (name) VALUES ('dup-3')`, commit()] as const);
    }).catch((err: unknown) => err);
    expect(uniqueViolation(error)).toBe("groups_name_key");
    expect(await groupNames("dup-")).toEqual([]);
  });

  test("a throw before COMMIT, or no COMMIT at all, rolls back", async () => {
    const thrown = await pipelinedTransaction(db.sql, async ({ tx }) => {
      await tx`INSERT INTO groups (name) VALUES ('undone-1')`;
      throw new Error("refused");
    }).catch((err: Error) => err.message);
    expect(thrown).toBe("refused");
    const forgotten = await pipelinedTransaction(db.sql, async ({ tx }) => void (await tx`INSERT INTO groups (name) VALUES ('undone-2')`)).catch((err: Error) => err.message);
    expect(forgotten).toContain("without commit()");
    expect(await groupNames("undone-")).toEqual([]);
  });

  test("the embedded database's only connection comes back after each transaction", async () => {
    const embedded = await createEmbeddedTestDatabase();
    try {
      for (const name of ["one", "two"]) {
        await pipelinedTransaction(embedded.sql, async ({ tx, commit }) => inOrder([tx`INSERT INTO groups (name) VALUES (${name})`, commit()] as const));
      }
      await pipelinedTransaction(embedded.sql, async () => {
        throw new Error("refused");
      }).catch(() => {});
      const rows = await embedded.sql<{ name: string }[]>`SELECT name FROM groups WHERE name IN ('one', 'two') ORDER BY name`;
      expect(rows.map((r) => r.name)).toEqual(["one", "two"]);
    } finally {
      await embedded.cleanup();
    }
  }, EMBEDDED_TIMEOUT_MS);
});

describe("inOrder", () => {
  test("throws the first failure in the order given, even when a later one failed sooner", async () => {
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error("first sent")), 20));
    const early = Promise.reject(new Error("aborted after it"));
    expect(await inOrder([late, early] as const).catch((err: Error) => err.message)).toBe("first sent");
  });
});
