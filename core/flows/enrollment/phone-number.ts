// The phone number a user may give at activation: optional; when given, E.164-like (an optional leading
// +, then digits, spaces allowed between them, 7 to 15 digits in all).
import { invalidArgument } from "../../../shared/errors.ts";

const PHONE_SHAPE = /^\+?[0-9][0-9 ]*$/;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export const PHONE_NUMBER_MESSAGE = `invalid phone number: use ${MIN_DIGITS} to ${MAX_DIGITS} digits with an optional leading +, e.g. +48 123 456 789`;

/**
 * The phone number to store (trimmed), undefined when none was given (absent or blank); throws
 * INVALID_ARGUMENT for anything else.
 */
export function parsePhoneNumber(input: string | undefined): string | undefined {
  const phone = input?.trim();
  if (!phone) return undefined;
  const digits = phone.replace(/[^0-9]/g, "").length;
  if (!PHONE_SHAPE.test(phone) || digits < MIN_DIGITS || digits > MAX_DIGITS) throw invalidArgument(PHONE_NUMBER_MESSAGE);
  return phone;
}
