// How many failed logins the admin API lets through, per account and per client address, and for how long
// it refuses after that. Pure: the clock is a parameter, the caller stores the streaks.
//
// Each key (an account, an address) has a streak of failures. Below its limit a streak is forgotten after
// FAILURE_WINDOW_MS without a failure: a user who mistypes twice today is not punished tomorrow. At the
// limit the key is locked for FAILURE_WINDOW_MS; after that each further failure locks it again for twice
// as long as the last time (up to MAX_LOCK_MS), until a whole LONG_MEMORY_MS passes without a failure.
// So a guesser gets 5 tries, then one try after 15 min, 30 min, 1 h, ... about a dozen a day per account.
import type { FailureStreak, StreakMemory } from "../store/login-failures.ts";

/** Failures of one account (or of one login name that is no account) before it is locked. */
export const ACCOUNT_FAILURE_LIMIT = 5;
/** Failures from one client address, whatever the accounts, before the address is locked. */
export const ADDRESS_FAILURE_LIMIT = 20;
/** A streak below its limit is forgotten after this long without a failure; also the first lock. */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** The longest single lock. */
export const MAX_LOCK_MS = 24 * 3_600_000;
/** A streak that reached its limit is forgotten only after this long without a failure. */
export const LONG_MEMORY_MS = 24 * 3_600_000;

/** What the store needs to forget streaks the way liveStreak does. */
export const streakMemory = (limit: number): StreakMemory => ({ limit, shortMs: FAILURE_WINDOW_MS, longMs: LONG_MEMORY_MS });

/** How long a streak of `failures` locks its key, counted from its last failure; 0 below the limit. */
export function lockDurationMs(failures: number, limit: number): number {
  if (failures < limit) return 0;
  return Math.min(FAILURE_WINDOW_MS * 2 ** Math.min(failures - limit, 20), MAX_LOCK_MS);
}

/** How long after its last failure a streak of `failures` is forgotten. */
export function memoryMs(failures: number, limit: number): number {
  return failures < limit ? FAILURE_WINDOW_MS : LONG_MEMORY_MS;
}

/** The streak as it stands at `nowMs`: null once forgotten. */
export function liveStreak(streak: FailureStreak | undefined, limit: number, nowMs: number): FailureStreak | null {
  if (!streak) return null;
  return nowMs - streak.lastFailureMs >= memoryMs(streak.failures, limit) ? null : streak;
}

/** Milliseconds until the key may try again at `nowMs`; 0 when it may now. */
export function lockedForMs(streak: FailureStreak | undefined, limit: number, nowMs: number): number {
  const live = liveStreak(streak, limit, nowMs);
  if (!live) return 0;
  return Math.max(0, live.lastFailureMs + lockDurationMs(live.failures, limit) - nowMs);
}

/**
 * How many attempts may be under way at once for a key that is not locked: the failures left before the
 * limit, or one past it. Attempts in flight count against it, so that forty requests sent together do not
 * all get checked before the first failure is counted.
 */
export function attemptsAllowed(streak: FailureStreak | undefined, limit: number, nowMs: number): number {
  const live = liveStreak(streak, limit, nowMs);
  const failures = live?.failures ?? 0;
  return failures < limit ? limit - failures : 1;
}
