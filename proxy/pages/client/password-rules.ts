// The password strength rule of Defguard (WIRE.md), for the pages: the same five checks the Core makes,
// listed one by one so that a person sees, while typing, which are met. Pure, shared by the server
// (to render the list) and the browser (to tick it).

export interface PasswordRule {
  /** Stable name, used as the list item's `data-rule`. */
  id: "length" | "lowercase" | "uppercase" | "digit" | "special";
  /** What the list says, after "Your password needs". */
  label: string;
  test(password: string): boolean;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** Counts Unicode code points, as the Core does, so an emoji is one character. */
function characterCount(password: string): number {
  let count = 0;
  for (const _ of password) count++;
  return count;
}

export const PASSWORD_RULES: readonly PasswordRule[] = [
  {
    id: "length",
    label: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    test: (p) => characterCount(p) >= PASSWORD_MIN_LENGTH && characterCount(p) <= PASSWORD_MAX_LENGTH,
  },
  { id: "lowercase", label: "a lowercase letter (a-z)", test: (p) => /[a-z]/.test(p) },
  { id: "uppercase", label: "an uppercase letter (A-Z)", test: (p) => /[A-Z]/.test(p) },
  { id: "digit", label: "a digit (0-9)", test: (p) => /[0-9]/.test(p) },
  {
    id: "special",
    label: "a special character such as ! ? # $ % & * - _",
    test: (p) => /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/.test(p),
  },
];

/** The rules `password` breaks, in list order; empty for a strong password. */
export function unmetPasswordRules(password: string): PasswordRule[] {
  return PASSWORD_RULES.filter((rule) => !rule.test(password));
}
