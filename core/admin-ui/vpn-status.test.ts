import { describe, expect, test } from "bun:test";
import { formatBytes } from "./vpn-status.ts";

describe("formatBytes", () => {
  test("bytes, then kB, MB, GB and TB in powers of 1000 with one decimal", () => {
    expect([0, 999, 1000, 12_345, 4_500_000, 1_200_000_000, 3e12, 5e15].map(formatBytes)).toEqual(["0 B", "999 B", "1.0 kB", "12.3 kB", "4.5 MB", "1.2 GB", "3.0 TB", "5000.0 TB"]);
  });
});
