import { describe, expect, test } from "bun:test";
import { parsePhoneNumber } from "../../../core/flows/enrollment/phone-number.ts";
import { checkPhoneNumber } from "./phone-number.ts";

const CASES = ["", "   ", "+48 123 456 789", "1234567", "123456", "+1234567890123456", "123456789012345", "12-34-567", "+ 1234567", "abc1234567", " 5551234 "];

describe("checkPhoneNumber", () => {
  test("blank is no phone; a valid one is trimmed; an invalid one gets the hint", () => {
    expect(checkPhoneNumber("  ")).toEqual({ phone: undefined });
    expect(checkPhoneNumber(" +48 123 456 789 ")).toEqual({ phone: "+48 123 456 789" });
    expect(checkPhoneNumber("12-34-567")).toEqual({
      error: "This phone number is not valid. Use 7 to 15 digits with an optional leading +, e.g. +48 123 456 789.",
    });
  });

  test("accepts exactly what the Core accepts", () => {
    for (const input of CASES) {
      let coreAccepts = true;
      try {
        parsePhoneNumber(input);
      } catch {
        coreAccepts = false;
      }
      expect([input, !("error" in checkPhoneNumber(input))]).toEqual([input, coreAccepts]);
    }
  });
});
