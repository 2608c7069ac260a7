import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { passwordWeakness } from "../../../core/password-policy.ts";
import { PASSWORD_RULES, unmetPasswordRules } from "./password-rules.ts";

const ids = (password: string) => unmetPasswordRules(password).map((rule) => rule.id);

describe("password rules of the pages", () => {
  test("each rule on its own", () => {
    expect(ids("Aa1!aaaa")).toEqual([]);
    expect(ids("Aa1!aaa")).toEqual(["length"]);
    expect(ids(`Aa1!${"a".repeat(124)}`)).toEqual([]);
    expect(ids(`Aa1!${"a".repeat(125)}`)).toEqual(["length"]);
    expect(ids("AA1!AAAA")).toEqual(["lowercase"]);
    expect(ids("aa1!aaaa")).toEqual(["uppercase"]);
    expect(ids("Aab!aaaa")).toEqual(["digit"]);
    expect(ids("Aa1aaaaa")).toEqual(["special"]);
    expect(ids("")).toEqual(PASSWORD_RULES.map((rule) => rule.id));
  });

  test("an emoji counts as one character, as the Core counts", () => {
    expect(ids("Aa1!😀😀😀")).toEqual(["length"]);
    expect(ids("Aa1!😀😀😀😀")).toEqual([]);
  });

  test("agree with the Core's policy on any password: met by the page exactly when the Core accepts", () => {
    const alphabet = fc.constantFrom(..."aZ9!_ é😀-~`\"\\".split(""), "aa", "ZZ", "12");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 70 }).map((parts) => parts.join("")), (password) => {
        expect(unmetPasswordRules(password).length === 0).toBe(passwordWeakness(password) === undefined);
      }),
      { numRuns: 500 },
    );
    for (const ch of "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") {
      expect(unmetPasswordRules(`Aa1${ch}aaaa`)).toEqual([]);
      expect(passwordWeakness(`Aa1${ch}aaaa`)).toBeUndefined();
    }
  });
});
