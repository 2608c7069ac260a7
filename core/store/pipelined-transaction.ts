// A transaction on a connection reserved for it, whose statements travel together: BEGIN goes out with
// the first statements and COMMIT with the last ones, so a request of six statements pays for three or
// four round trips instead of eight (each costs both processes a wake-up and system calls, which is
// most of what a short statement costs). `sql.begin` waits for BEGIN's answer and sends COMMIT alone.
//
// What PostgreSQL guarantees makes this safe: statements on one connection run in the order sent; once
// one fails the transaction is aborted, every later one fails, and COMMIT rolls it back.
import type postgres from "postgres";
import type { Queryable } from "./queryable.ts";

export interface PipelinedTransaction {
  /** Runs statements inside the transaction; those not awaited in between are sent together. */
  tx: Queryable;
  /**
   * Sends COMMIT after every statement sent so far, without waiting: await it together with them. Its
   * answer says ROLLBACK when one of them failed (their own errors say why). Call it at most once.
   */
  commit(): Promise<unknown>;
}

/**
 * Runs `fn` in a transaction on a reserved connection (on the embedded database, its only one). When `fn`
 * throws, or returns without committing, the transaction is rolled back; the connection is released
 * either way. Returns what `fn` returned; throws what it threw.
 */
export async function pipelinedTransaction<T>(sql: postgres.Sql, fn: (t: PipelinedTransaction) => Promise<T>): Promise<T> {
  const connection = await sql.reserve();
  let committed: Promise<unknown> | undefined;
  const begun = connection`BEGIN`;
  // BEGIN's failure (the connection lost) is also every later statement's: fn's error says it.
  begun.catch(() => {});
  try {
    const result = await fn({
      tx: connection,
      commit: () => {
        if (committed) throw new Error("commit() called twice");
        committed = connection`COMMIT`;
        return committed;
      },
    });
    await begun;
    if (!committed) throw new Error("the transaction returned without commit(): rolled back");
    const { command } = (await committed) as { command?: string };
    if (command !== "COMMIT") throw new Error(`COMMIT answered ${command}`);
    return result;
  } catch (err) {
    // Harmless after COMMIT or ROLLBACK (PostgreSQL only warns); needed when fn threw in the middle.
    await connection`ROLLBACK`.catch(() => {});
    throw err;
  } finally {
    connection.release();
  }
}

/**
 * Awaits statements sent together in the order they were sent, so that the first to fail is the error
 * thrown (those after it fail only because the transaction is aborted), and none of their rejections
 * goes unhandled.
 */
export async function inOrder<T extends readonly unknown[]>(statements: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  for (const statement of statements) Promise.resolve(statement).catch(() => {});
  const results: unknown[] = [];
  for (const statement of statements) results.push(await statement);
  return results as { -readonly [K in keyof T]: Awaited<T[K]> };
}
