import { describe, expect, test } from "bun:test";
import { AppError, GrpcStatus } from "../shared/errors.ts";
import { assertStrongPassword, passwordWeakness } from "./password-policy.ts";

describe("password policy", () => {
  test("accepts passwords that meet every rule, at both length limits", () => {
    for (const ok of ["Passw0rd!", "aA1!aaaa", "aA1!" + "x".repeat(124), "Zażółć-gęślą-1", "ÄbcdefG1;"]) {
      expect(passwordWeakness(ok)).toBeUndefined();
    }
  });

  test("names the rule each weak password breaks", () => {
    const cases: Array<[string, string]> = [
      ["aA1!aaa", "password must be at least 8 characters long"],
      ["", "password must be at least 8 characters long"],
      ["aA1!" + "x".repeat(125), "password must be at most 128 characters long"],
      ["PASSW0RD!", "password must contain a lowercase letter (a-z)"],
      ["passw0rd!", "password must contain an uppercase letter (A-Z)"],
      ["Password!", "password must contain a digit (0-9)"],
      ["Passw0rdd", "password must contain a special character such as ! ? # $ % & * - _"],
      ["Passw0rd d", "password must contain a special character such as ! ? # $ % & * - _"],
      ["Passw0rd€", "password must contain a special character such as ! ? # $ % & * - _"],
    ];
    for (const [password, message] of cases) expect(passwordWeakness(password)).toBe(message);
  });

  test("counts characters, not UTF-16 units: 7 emoji plus rules is still too short", () => {
    expect(passwordWeakness("aA1!😀😀😀")).toBe("password must be at least 8 characters long");
    expect(passwordWeakness("aA1!😀😀😀😀")).toBeUndefined();
  });

  test("every ASCII punctuation character counts as special", () => {
    for (const c of "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") expect(passwordWeakness(`Passw0rd${c}`)).toBeUndefined();
  });

  test("assertStrongPassword throws INVALID_ARGUMENT with the rule's message", () => {
    expect(() => assertStrongPassword("Passw0rd!")).not.toThrow();
    try {
      assertStrongPassword("short");
      throw new Error("expected a rejection");
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect((err as AppError).message).toBe("password must be at least 8 characters long");
    }
  });
});
