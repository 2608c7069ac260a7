// Recovery codes: shown to the user once when MFA is first enabled, stored only as SHA-256 (each code
// carries 50 random bits, far beyond guessing, so a fast hash is enough), each usable once.
import { randomInt } from "node:crypto";
import { hashToken } from "../tokens.ts";

export const RECOVERY_CODE_COUNT = 8;
/** Crockford-like alphabet without 0/O and 1/I/L, so codes read back from paper are not misread. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const GROUP_LENGTH = 5;

/** `XXXXX-XXXXX` from a CSPRNG. */
function newRecoveryCode(): string {
  let out = "";
  for (let i = 0; i < GROUP_LENGTH * 2; i++) {
    if (i === GROUP_LENGTH) out += "-";
    out += ALPHABET[randomInt(ALPHABET.length)];
  }
  return out;
}

/** The form a code is stored and compared in: upper case, no spaces or dashes, SHA-256 hex. */
export function hashRecoveryCode(code: string): string {
  return hashToken(code.toUpperCase().replace(/[\s-]/g, ""));
}

/** `count` new codes in clear (to show once) and their hashes (to store). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: count }, newRecoveryCode);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}
