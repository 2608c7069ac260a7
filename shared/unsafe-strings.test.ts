import { describe, expect, test } from "bun:test";
import { findUnsafeString, stringProblem } from "./unsafe-strings.ts";

describe("stringProblem", () => {
  test.each([
    ["token", null],
    ["Zażółć gęślą jaźń 🔥", null],
    ["\ud83d\udd25", null],
    ["a\u0000b", "must not contain NUL characters"],
    ["\ud800", "must be valid Unicode (lone surrogate)"],
    ["x\udc00", "must be valid Unicode (lone surrogate)"],
    ["\udfff\ud800", "must be valid Unicode (lone surrogate)"],
    ["x".repeat(4096), null],
    ["x".repeat(4097), "expected at most 4096 characters"],
  ])("%p -> %p", (text, problem) => {
    expect(stringProblem(text)).toBe(problem);
  });
});

describe("findUnsafeString", () => {
  test("names the field, however deep", () => {
    expect(findUnsafeString({ token: "ok", nested: { list: ["fine", "bad\u0000"] } })).toEqual({ field: "nested.list.1", problem: "must not contain NUL characters" });
    expect(findUnsafeString({ a: 1, b: null, c: true })).toBeNull();
    expect(findUnsafeString("\ud800")).toEqual({ field: "", problem: "must be valid Unicode (lone surrogate)" });
  });

  test("keys are checked too, and nesting is bounded", () => {
    expect(findUnsafeString({ "k\u0000": 1 })).toEqual({ field: "k\u0000", problem: "field name must not contain NUL characters" });
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(findUnsafeString(deep)?.problem).toBe("expected at most 32 levels of nesting");
  });
});
