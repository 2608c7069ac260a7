import { describe, expect, test } from "bun:test";
import { formatTimeLeft, remainingMs } from "./session-timer.ts";

describe("formatTimeLeft", () => {
  test("whole minutes, rounded down; under a minute; hours past two; none once over", () => {
    expect(formatTimeLeft(600_000)).toBe("10 minutes");
    expect(formatTimeLeft(599_999)).toBe("9 minutes");
    expect(formatTimeLeft(60_000)).toBe("1 minute");
    expect(formatTimeLeft(59_999)).toBe("less than a minute");
    expect(formatTimeLeft(1)).toBe("less than a minute");
    expect(formatTimeLeft(0)).toBe("none");
    expect(formatTimeLeft(-5)).toBe("none");
    expect(formatTimeLeft(119 * 60_000)).toBe("119 minutes");
    expect(formatTimeLeft(24 * 3_600_000)).toBe("24 hours");
  });
});

describe("remainingMs", () => {
  test("counts from the server's clock, not the browser's", () => {
    expect(remainingMs(1_700_000_600, 1_700_000_000_000)).toBe(600_000);
    expect(remainingMs(1_700_000_000, 1_700_000_001_000)).toBe(-1_000);
  });
});
