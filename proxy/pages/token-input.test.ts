import { describe, expect, test } from "bun:test";
import { tokenFromInput } from "./token-input.ts";

describe("tokenFromInput", () => {
  test("a bare token, trimmed", () => {
    expect(tokenFromInput("  abcDEF123  ")).toBe("abcDEF123");
  });

  test("the token of a pasted link, from `/`, `/enrollment` or with other parameters", () => {
    expect(tokenFromInput("https://enroll.example.com/?token=Abc123")).toBe("Abc123");
    expect(tokenFromInput(" https://e.com/enrollment?lang=en&token=Xyz789#top ")).toBe("Xyz789");
  });

  test("nothing usable: undefined", () => {
    expect(tokenFromInput("")).toBeUndefined();
    expect(tokenFromInput("   ")).toBeUndefined();
    expect(tokenFromInput("no token here!")).toBeUndefined();
    expect(tokenFromInput("https://e.com/?token=")).toBeUndefined();
  });
});
