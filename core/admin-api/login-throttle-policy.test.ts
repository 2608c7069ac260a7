import { describe, expect, test } from "bun:test";
import { ACCOUNT_FAILURE_LIMIT, FAILURE_WINDOW_MS, LONG_MEMORY_MS, MAX_LOCK_MS, attemptsAllowed, liveStreak, lockDurationMs, lockedForMs } from "./login-throttle-policy.ts";
import { addressKey } from "./login-throttle.ts";

const LIMIT = ACCOUNT_FAILURE_LIMIT;
const T0 = 1_800_000_000_000;

describe("login throttle policy", () => {
  test("no lock below the limit; 15 min at the limit, doubling with each failure after, capped at 24 h", () => {
    expect([0, 1, 4].map((f) => lockDurationMs(f, LIMIT))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8].map((f) => lockDurationMs(f, LIMIT) / 60_000)).toEqual([15, 30, 60, 120]);
    expect(lockDurationMs(12, LIMIT)).toBe(MAX_LOCK_MS);
    expect(lockDurationMs(10_000, LIMIT)).toBe(MAX_LOCK_MS);
  });

  test("a streak below the limit is forgotten after 15 quiet minutes; one at the limit after 24 h", () => {
    const short = { failures: 4, lastFailureMs: T0 };
    expect(liveStreak(short, LIMIT, T0 + FAILURE_WINDOW_MS - 1)).toBe(short);
    expect(liveStreak(short, LIMIT, T0 + FAILURE_WINDOW_MS)).toBeNull();
    const long = { failures: 5, lastFailureMs: T0 };
    expect(liveStreak(long, LIMIT, T0 + FAILURE_WINDOW_MS)).toBe(long);
    expect(liveStreak(long, LIMIT, T0 + LONG_MEMORY_MS)).toBeNull();
  });

  test("locked until the last failure plus the lock; then one attempt at a time", () => {
    const streak = { failures: 6, lastFailureMs: T0 };
    expect(lockedForMs(streak, LIMIT, T0)).toBe(30 * 60_000);
    expect(lockedForMs(streak, LIMIT, T0 + 30 * 60_000)).toBe(0);
    expect(attemptsAllowed(streak, LIMIT, T0 + 30 * 60_000)).toBe(1);
    expect(attemptsAllowed({ failures: 2, lastFailureMs: T0 }, LIMIT, T0)).toBe(3);
    expect(attemptsAllowed(undefined, LIMIT, T0)).toBe(LIMIT);
    expect(lockedForMs(undefined, LIMIT, T0)).toBe(0);
  });

  test("addresses: IPv4 as is, IPv4-mapped IPv6 as IPv4, other IPv6 by /64, nothing for unknown", () => {
    expect(addressKey("192.0.2.7").map((k) => k.key)).toEqual(["address:192.0.2.7"]);
    expect(addressKey("::ffff:192.0.2.7").map((k) => k.key)).toEqual(["address:192.0.2.7"]);
    expect(addressKey("2001:db8:1:2:aaaa::1").map((k) => k.key)).toEqual(["address:2001:db8:1:2::/64"]);
    expect(addressKey("2001:db8:1:2:bbbb::9")).toEqual(addressKey("2001:db8:1:2::"));
    expect(addressKey(null)).toEqual([]);
    expect(addressKey("not an address")).toEqual([]);
  });
});
