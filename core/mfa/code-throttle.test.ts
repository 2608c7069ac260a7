import { describe, expect, test } from "bun:test";
import {
  DEVICE_FREE_FAILURES,
  EMPTY_THROTTLE,
  FAILURE_DECAY_MS,
  MAX_DELAY_MS,
  type ThrottleState,
  USER_FREE_FAILURES,
  afterFailure,
  blockedForMs,
  decayed,
  delayFor,
  freeFailuresLeft,
} from "./code-throttle.ts";

const T0 = 1_800_000_000_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** TOTP codes a guess can hit: the current step and one either side (one-time-codes.ts). */
const CODES_ACCEPTED_AT_ONCE = 3;
const CODE_SPACE = 10 ** 6;

/**
 * The most wrong codes a guesser gets through in `periodMs` with `devices` device keys of one user: at every
 * moment it sends a code through the first device whose scope and the user's scope take one.
 */
function greedyGuesses(devices: number, periodMs: number): number {
  let user: ThrottleState = { ...EMPTY_THROTTLE, decayFromMs: T0 };
  const scopes: ThrottleState[] = Array.from({ length: devices }, () => ({ ...EMPTY_THROTTLE, decayFromMs: T0 }));
  let now = T0;
  let guesses = 0;
  while (now < T0 + periodMs) {
    const waits = scopes.map((s) => Math.max(blockedForMs(s, now), blockedForMs(user, now)));
    const wait = Math.min(...waits);
    if (wait > 0) {
      now += wait;
      continue;
    }
    const i = waits.indexOf(0);
    scopes[i] = afterFailure(scopes[i]!, now, DEVICE_FREE_FAILURES);
    user = afterFailure(user, now, USER_FREE_FAILURES);
    guesses++;
    now += 100; // a fast client: ten tries a second while nothing is blocked
  }
  return guesses;
}

describe("code throttle", () => {
  test("five wrong codes are free, then each one blocks twice as long as the last, up to an hour", () => {
    expect([1, 2, 3, 4].map((n) => delayFor(n, 5))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 12, 50].map((n) => delayFor(n, 5) / MINUTE)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    let s = EMPTY_THROTTLE;
    for (let i = 0; i < 4; i++) s = afterFailure(s, T0, DEVICE_FREE_FAILURES);
    expect([blockedForMs(s, T0), freeFailuresLeft(s, T0, DEVICE_FREE_FAILURES)]).toEqual([0, 1]);
    s = afterFailure(s, T0, DEVICE_FREE_FAILURES);
    expect([blockedForMs(s, T0), freeFailuresLeft(s, T0, DEVICE_FREE_FAILURES)]).toEqual([MINUTE, 0]);
    s = afterFailure(s, T0 + MINUTE, DEVICE_FREE_FAILURES);
    expect(blockedForMs(s, T0 + MINUTE)).toBe(2 * MINUTE);
    expect(s.episodeFailures).toBe(6);
  });

  test("one wrong code is forgotten per hour; back at none the episode ends and would be reported again", () => {
    let s = EMPTY_THROTTLE;
    for (let i = 0; i < 3; i++) s = afterFailure(s, T0, DEVICE_FREE_FAILURES);
    s = { ...s, alerted: true };
    expect(decayed(s, T0 + FAILURE_DECAY_MS - 1).failures).toBe(3);
    expect(decayed(s, T0 + FAILURE_DECAY_MS).failures).toBe(2);
    expect(decayed(s, T0 + 2 * FAILURE_DECAY_MS + 5).failures).toBe(1);
    const over = decayed(s, T0 + 3 * FAILURE_DECAY_MS);
    expect([over.failures, over.episodeFailures, over.alerted]).toEqual([0, 0, false]);
    const again = afterFailure(s, T0 + 5 * FAILURE_DECAY_MS, DEVICE_FREE_FAILURES);
    expect([again.failures, again.episodeFailures, again.episodeStartedMs]).toEqual([1, 1, T0 + 5 * FAILURE_DECAY_MS]);
  });

  test("the owner waits out a block: once it ends, a code is taken again", () => {
    let s = EMPTY_THROTTLE;
    for (let i = 0; i < 11; i++) s = afterFailure(s, s.blockedUntilMs ?? T0, DEVICE_FREE_FAILURES);
    const until = s.blockedUntilMs!;
    expect(blockedForMs(s, until - 1)).toBe(1);
    expect(blockedForMs(s, until)).toBe(0);
    expect(blockedForMs(s, until) <= MAX_DELAY_MS).toBe(true);
  });

  test("a guesser gets at most ~40 codes a day however it spreads them, so the 10^6 codes stay out of reach", () => {
    const oneDevice = greedyGuesses(1, DAY);
    const tenDevices = greedyGuesses(10, DAY);
    const month = greedyGuesses(10, 30 * DAY);
    // Day one: 5 free, 6 growing blocks (1+2+...+32 min), then one an hour; the user's scope (10 free) caps
    // a guesser holding many of the user's device keys the same way.
    expect(oneDevice).toBeLessThanOrEqual(35);
    expect(tenDevices).toBeLessThanOrEqual(40);
    expect(month).toBeLessThanOrEqual(40 + 29 * 25);
    // Chance that a day of guessing hits a valid code, and the years a steady guesser needs for even odds.
    const perDay = (tenDevices * CODES_ACCEPTED_AT_ONCE) / CODE_SPACE;
    expect(perDay).toBeLessThan(1.5e-4);
    const yearsToEvenOdds = Math.log(2) / ((month / 30) * (CODES_ACCEPTED_AT_ONCE / CODE_SPACE)) / 365;
    expect(yearsToEvenOdds).toBeGreaterThan(20);
    console.log(`wrong codes a guesser gets through: ${oneDevice}/day with one device key, ${tenDevices}/day with ten, ${month} in 30 days; ` +
      `P(hit) ${perDay.toExponential(2)}/day, even odds after ${yearsToEvenOdds.toFixed(0)} years`);
  });
});
