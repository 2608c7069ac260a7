import { describe, expect, test } from "bun:test";
import { waitWords } from "./api.ts";

describe("waitWords", () => {
  test("seconds below a minute and a half, then minutes, then hours", () => {
    expect([1, 59.2, 89, 90, 600, 5399, 5400, 86_400].map(waitWords)).toEqual([
      "1 second",
      "60 seconds",
      "89 seconds",
      "about 2 minutes",
      "about 10 minutes",
      "about 90 minutes",
      "about 2 hours",
      "about 24 hours",
    ]);
  });
});
