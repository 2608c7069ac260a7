import { describe, expect, test } from "bun:test";
import { TokenBuckets } from "./token-buckets.ts";
import { addressKey } from "./rate-limit.ts";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("TokenBuckets", () => {
  test("a burst passes, then one request per refill interval", () => {
    const t = clock();
    const buckets = new TokenBuckets({ burst: 3, refillMs: 1000 }, t.now);
    expect([1, 2, 3].map(() => buckets.take("a").allowed)).toEqual([true, true, true]);
    expect(buckets.take("a")).toEqual({ allowed: false, retryAfterMs: 1000 });
    t.advance(400);
    expect(buckets.take("a")).toEqual({ allowed: false, retryAfterMs: 600 });
    t.advance(600);
    expect(buckets.take("a")).toEqual({ allowed: true });
    expect(buckets.take("a").allowed).toBe(false);
  });

  test("keys are independent and a bucket never holds more than the burst", () => {
    const t = clock();
    const buckets = new TokenBuckets({ burst: 2, refillMs: 10 }, t.now);
    buckets.take("a");
    buckets.take("a");
    expect(buckets.take("b").allowed).toBe(true);
    t.advance(1_000_000);
    expect([1, 2, 3].map(() => buckets.take("a").allowed)).toEqual([true, true, false]);
  });

  test("refilled buckets are swept out after a minute; a flood of keys is capped", () => {
    const t = clock();
    const buckets = new TokenBuckets({ burst: 1, refillMs: 100 }, t.now, 50);
    for (let i = 0; i < 40; i++) buckets.take(`k${i}`);
    expect(buckets.size).toBe(40);
    t.advance(60_000);
    buckets.take("late");
    expect(buckets.size).toBe(1);
    for (let i = 0; i < 500; i++) buckets.take(`flood${i}`);
    expect(buckets.size).toBeLessThanOrEqual(50);
  });

  test("a policy that would never refill is refused", () => {
    expect(() => new TokenBuckets({ burst: 0, refillMs: 1 })).toThrow();
    expect(() => new TokenBuckets({ burst: 1, refillMs: 0 })).toThrow();
  });
});

describe("addressKey", () => {
  test.each([
    ["192.0.2.1", "192.0.2.1"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"],
    ["", ""],
  ])("%p -> %p", (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
