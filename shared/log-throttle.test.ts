import { expect, test } from "bun:test";
import { createLogThrottle } from "./log-throttle.ts";

test("a burst per interval is admitted, the rest counted until taken", () => {
  let now = 0;
  const throttle = createLogThrottle(3, 1000, () => now);
  expect([1, 2, 3, 4, 5].map(() => throttle.admit())).toEqual([true, true, true, false, false]);
  expect(throttle.takeSuppressed()).toBe(2);
  expect(throttle.takeSuppressed()).toBeNull();
  now = 1000;
  expect(throttle.admit()).toBe(true);
});
