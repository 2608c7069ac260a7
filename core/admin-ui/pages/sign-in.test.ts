import { describe, expect, test } from "bun:test";
import { safeNext } from "./sign-in.tsx";

describe("safeNext", () => {
  test("keeps paths of this site, drops anything that could leave it", () => {
    expect(safeNext("/ui/users?page=2")).toBe("/ui/users?page=2");
    expect(safeNext("/")).toBe("/");
    for (const bad of [undefined, "", "ui/users", "//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"]) expect(safeNext(bad)).toBeUndefined();
  });
});
