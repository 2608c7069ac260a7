// The failed-login streaks of the admin API (table login_failures), shared by every core on the database.
// The policy (limits, locks, when a streak is forgotten) is core/admin-api/login-throttle-policy.ts.
import type { Queryable } from "./queryable.ts";

export interface FailureStreak {
  failures: number;
  lastFailureMs: number;
}

/** When a streak is forgotten: `shortMs` after its last failure below `limit`, `longMs` at or past it. */
export interface StreakMemory {
  limit: number;
  shortMs: number;
  longMs: number;
}

/** The streaks of `keys` that have a row (forgotten or not: the policy decides). */
export async function readFailureStreaks(q: Queryable, keys: string[]): Promise<Map<string, FailureStreak>> {
  const rows = await q<{ key: string; failures: number; last_failure_at: Date }[]>`
    SELECT key, failures, last_failure_at FROM login_failures WHERE key IN ${q(keys)}`;
  return new Map(rows.map((r) => [r.key, { failures: r.failures, lastFailureMs: r.last_failure_at.getTime() }]));
}

/**
 * Counts one failure of `key` at `nowMs`: a forgotten streak starts again at 1. One statement, so that
 * failures counted at once by several requests or cores are all counted.
 */
export async function recordFailure(q: Queryable, key: string, memory: StreakMemory, nowMs: number): Promise<void> {
  const now = new Date(nowMs);
  const { limit, shortMs, longMs } = memory;
  await q`
    INSERT INTO login_failures (key, failures, last_failure_at) VALUES (${key}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE
        WHEN ${now}::timestamptz - login_failures.last_failure_at >= make_interval(secs => (CASE WHEN login_failures.failures < ${limit}
             THEN ${shortMs} ELSE ${longMs} END)::double precision / 1000) THEN 1
        ELSE login_failures.failures + 1 END,
      last_failure_at = ${now}`;
  // Streaks nobody remembers any more; cheap on the index, and keeps a spray of addresses from piling up.
  await q`DELETE FROM login_failures WHERE last_failure_at < ${new Date(nowMs - longMs)}`;
}

/** Forgets `key`'s streak (an account that just logged in, or one an operator unlocks); true if it had one. */
export async function clearFailures(q: Queryable, key: string): Promise<boolean> {
  const rows = await q`DELETE FROM login_failures WHERE key = ${key} RETURNING key`;
  return rows.length === 1;
}
