import { describe, expect, test } from "bun:test";
import { AppError, GrpcStatus } from "../../../shared/errors.ts";
import { PHONE_NUMBER_MESSAGE, parsePhoneNumber } from "./phone-number.ts";

describe("parsePhoneNumber", () => {
  test("absent or blank means no phone number", () => {
    expect(parsePhoneNumber(undefined)).toBeUndefined();
    expect(parsePhoneNumber("")).toBeUndefined();
    expect(parsePhoneNumber("   ")).toBeUndefined();
  });

  test("accepts 7 to 15 digits, an optional leading +, spaces between digits; keeps it trimmed", () => {
    expect(parsePhoneNumber("+48 123 456 789")).toBe("+48 123 456 789");
    expect(parsePhoneNumber(" 1234567 ")).toBe("1234567");
    expect(parsePhoneNumber("+123456789012345")).toBe("+123456789012345");
  });

  test("refuses other shapes with one INVALID_ARGUMENT message", () => {
    for (const bad of ["123456", "+1234567890123456", "++48123456789", "48+123456789", "+48-123-456-789", "(48) 1234567", "phone", "+ 481234567", "１２３４５６７"]) {
      try {
        parsePhoneNumber(bad);
        throw new Error(`accepted ${bad}`);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe(GrpcStatus.INVALID_ARGUMENT);
        expect((err as AppError).message).toBe(PHONE_NUMBER_MESSAGE);
      }
    }
  });
});
