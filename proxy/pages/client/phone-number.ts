// The phone number a person may give during enrollment, checked as the Core checks it (an optional
// leading +, digits and spaces, 7 to 15 digits in all), so that a mistake shows on this step and not
// only at the very end, when the account is activated.

const PHONE_SHAPE = /^\+?[0-9][0-9 ]*$/;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export const PHONE_NUMBER_HINT = `Use ${MIN_DIGITS} to ${MAX_DIGITS} digits with an optional leading +, e.g. +48 123 456 789.`;

/** `{ phone }` trimmed (undefined when blank), or `{ error }` for a number the Core would refuse. */
export function checkPhoneNumber(input: string): { phone: string | undefined } | { error: string } {
  const phone = input.trim();
  if (!phone) return { phone: undefined };
  const digits = phone.replace(/[^0-9]/g, "").length;
  if (!PHONE_SHAPE.test(phone) || digits < MIN_DIGITS || digits > MAX_DIGITS) return { error: `This phone number is not valid. ${PHONE_NUMBER_HINT}` };
  return { phone };
}
