// What store functions run their SQL on: the shared client or a transaction in progress. Callers that
// need several store calls to commit together pass their `tx`; on the embedded database (one connection)
// that is also the only way to avoid waiting on yourself.
import type postgres from "postgres";

export type Queryable = postgres.ISql;

/** The SQLSTATE of a violated unique constraint, and the constraint's name when it is one. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as { code?: string; constraint_name?: string };
  return e?.code === "23505" ? (e.constraint_name ?? "") : null;
}

/**
 * Runs `fn` atomically on `q`: a transaction on a client, a savepoint inside a transaction already open,
 * so that a store function can be called either way.
 */
export function inTransaction<T>(q: Queryable, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const client = q as Partial<postgres.Sql> & Partial<postgres.TransactionSql>;
  if (typeof client.begin === "function") return client.begin(fn) as Promise<T>;
  if (typeof client.savepoint === "function") return client.savepoint(fn) as Promise<T>;
  throw new TypeError("expected a postgres client or transaction");
}
