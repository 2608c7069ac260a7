// The password strength rule of Defguard: 8 to 128 characters with at least one lowercase letter, one
// uppercase letter, one digit and one ASCII punctuation character. Pure, so every caller (enrollment,
// password reset, admin API) refuses the same passwords with the same words.
import { invalidArgument } from "../shared/errors.ts";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The rules in one sentence, for the hint beside a new-password field. */
export const PASSWORD_RULES_TEXT = `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, with a lowercase and an uppercase letter, a digit and a special character such as ! ? # $ % & * - _`;

/** Each rule with the message shown when a password breaks it, checked in this order. */
const RULES: ReadonlyArray<{ test: (password: string) => boolean; message: string }> = [
  {
    test: (p) => characterCount(p) >= PASSWORD_MIN_LENGTH,
    message: `password must be at least ${PASSWORD_MIN_LENGTH} characters long`,
  },
  {
    test: (p) => characterCount(p) <= PASSWORD_MAX_LENGTH,
    message: `password must be at most ${PASSWORD_MAX_LENGTH} characters long`,
  },
  { test: (p) => /[a-z]/.test(p), message: "password must contain a lowercase letter (a-z)" },
  { test: (p) => /[A-Z]/.test(p), message: "password must contain an uppercase letter (A-Z)" },
  { test: (p) => /[0-9]/.test(p), message: "password must contain a digit (0-9)" },
  {
    test: (p) => /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/.test(p),
    message: "password must contain a special character such as ! ? # $ % & * - _",
  },
];

/** Counts Unicode code points, so an emoji is one character as a user would count it. */
function characterCount(password: string): number {
  let count = 0;
  for (const _ of password) count++;
  return count;
}

/** The message of the first rule the password breaks, or undefined for a strong password. */
export function passwordWeakness(password: string): string | undefined {
  return RULES.find((rule) => !rule.test(password))?.message;
}

/** Throws INVALID_ARGUMENT naming the first broken rule. */
export function assertStrongPassword(password: string): void {
  const weakness = passwordWeakness(password);
  if (weakness) throw invalidArgument(weakness);
}
