import { describe, expect, test } from "bun:test";
import { generateToken, hashToken, looksLikeToken } from "./tokens.ts";

describe("tokens", () => {
  test("are 32 alphanumeric characters and differ each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateToken();
      expect(t).toMatch(/^[A-Za-z0-9]{32}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(200);
  });

  test("hash to stable lowercase SHA-256 hex", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  test("shape check refuses what cannot be a token", () => {
    expect(looksLikeToken(generateToken())).toBe(true);
    for (const bad of ["", "short", "x".repeat(33), "a".repeat(31) + "!", "ä".repeat(32)]) expect(looksLikeToken(bad)).toBe(false);
  });
});
