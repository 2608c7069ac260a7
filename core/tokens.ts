// Enrollment and password-reset tokens: 32 random characters [A-Za-z0-9] handed to the user, stored
// only as a SHA-256 hash, so a copy of the database gives no live token.
import { createHash, randomInt } from "node:crypto";

export const TOKEN_LENGTH = 32;
const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export type TokenKind = "ENROLLMENT" | "PASSWORD_RESET";

/** A new token from a CSPRNG, uniform over the alphabet (no modulo bias). */
export function generateToken(length = TOKEN_LENGTH): string {
  let out = "";
  for (let i = 0; i < length; i++) out += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return out;
}

/** The form a token (or any bearer secret) is stored and looked up in: lowercase SHA-256 hex. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** True for strings that could be a token; anything else is refused before touching the database. */
export function looksLikeToken(value: string): boolean {
  return value.length === TOKEN_LENGTH && /^[A-Za-z0-9]+$/.test(value);
}
