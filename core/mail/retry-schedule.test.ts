import { expect, test } from "bun:test";
import { DEFAULT_RETRY_POLICY, MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, retryDelayMs, shouldGiveUp } from "./retry-schedule.ts";

test("delays double from 1 s and stop growing at 5 min", () => {
  expect([1, 2, 3, 4, 5, 8, 9, 10, 11, 20].map((n) => retryDelayMs(n))).toEqual([
    1_000, 2_000, 4_000, 8_000, 16_000, 128_000, 256_000, 300_000, 300_000, 300_000,
  ]);
  expect(retryDelayMs(10_000)).toBe(MAX_RETRY_DELAY_MS);
});

test("the default gives up after the 20th failed attempt, having waited about an hour in all", () => {
  expect(MAX_ATTEMPTS).toBe(20);
  expect(shouldGiveUp(19)).toBe(false);
  expect(shouldGiveUp(20)).toBe(true);
  let waitedMs = 0;
  for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) waitedMs += retryDelayMs(attempt);
  expect(waitedMs).toBe(511_000 + 10 * 300_000);
});

test("a policy of its own (tests use millisecond delays)", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 10, maxDelayMs: 25, maxAttempts: 3 };
  expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy))).toEqual([10, 20, 25, 25]);
  expect([1, 2, 3].map((n) => shouldGiveUp(n, policy))).toEqual([false, false, true]);
});
