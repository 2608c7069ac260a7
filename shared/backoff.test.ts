import { describe, expect, test } from "bun:test";
import {
  Backoff,
  INITIAL_BACKOFF_MS,
  JITTER,
  MAX_BACKOFF_MS,
  STABLE_CONNECTION_MS,
  backoffDelayMs,
  nominalDelayMs,
} from "./backoff.ts";

const middle = () => 0.5;
const lowest = () => 0;
const highest = () => 0.999999;

describe("backoffDelayMs", () => {
  test("the first retry comes within a few hundred milliseconds", () => {
    for (const random of [lowest, middle, highest]) {
      expect(backoffDelayMs(0, random)).toBeLessThanOrEqual(300);
    }
    expect(backoffDelayMs(0, middle)).toBe(INITIAL_BACKOFF_MS);
  });

  test("the nominal sequence grows strictly until the cap, then stays at the cap", () => {
    const delays = Array.from({ length: 20 }, (_, i) => nominalDelayMs(i));
    const firstAtCap = delays.indexOf(MAX_BACKOFF_MS);
    expect(firstAtCap).toBeGreaterThan(4); // the cap only after repeated failures
    for (let i = 1; i < firstAtCap; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    for (const d of delays.slice(firstAtCap)) expect(d).toBe(MAX_BACKOFF_MS);
  });

  test("never exceeds 10 s, whatever the random source says", () => {
    expect(MAX_BACKOFF_MS).toBe(10_000);
    for (let attempt = 0; attempt < 100; attempt++) {
      for (const random of [lowest, middle, highest, Math.random]) {
        expect(backoffDelayMs(attempt, random)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
      }
    }
  });

  test("stays within the jitter bounds of the nominal delay", () => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const nominal = nominalDelayMs(attempt);
      const low = Math.round(nominal * (1 - JITTER));
      const high = Math.min(Math.round(nominal * (1 + JITTER)), MAX_BACKOFF_MS);
      expect(backoffDelayMs(attempt, lowest)).toBe(low);
      expect(backoffDelayMs(attempt, highest)).toBeLessThanOrEqual(high);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelayMs(attempt);
        expect(d).toBeGreaterThanOrEqual(low);
        expect(d).toBeLessThanOrEqual(high);
      }
    }
  });

  test("a negative attempt is treated as the first", () => {
    expect(backoffDelayMs(-3, middle)).toBe(INITIAL_BACKOFF_MS);
  });
});

describe("Backoff", () => {
  test("each failure lengthens the next delay", () => {
    const backoff = new Backoff(middle);
    const delays = Array.from({ length: 6 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([0, 1, 2, 3, 4, 5].map((i) => Math.round(nominalDelayMs(i))));
  });

  test("a connection that lived resets the schedule", () => {
    const backoff = new Backoff(middle);
    for (let i = 0; i < 8; i++) backoff.nextDelayMs();
    backoff.connectionEnded(STABLE_CONNECTION_MS);
    expect(backoff.nextDelayMs()).toBe(INITIAL_BACKOFF_MS);
  });

  test("a connection that dropped at once does not reset the schedule", () => {
    const backoff = new Backoff(middle);
    for (let i = 0; i < 3; i++) backoff.nextDelayMs();
    backoff.connectionEnded(STABLE_CONNECTION_MS - 1);
    expect(backoff.nextDelayMs()).toBe(Math.round(nominalDelayMs(3)));
  });

  test("reset() starts over", () => {
    const backoff = new Backoff(middle);
    for (let i = 0; i < 30; i++) backoff.nextDelayMs();
    expect(backoff.nextDelayMs()).toBe(MAX_BACKOFF_MS);
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(INITIAL_BACKOFF_MS);
  });
});
