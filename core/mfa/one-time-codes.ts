// One-time codes (RFC 6238 with `otpauth`): TOTP from an authenticator app (SHA-1, 6 digits, 30 s) and the
// codes mailed for email MFA (the same algorithm with a 60 s step). Pure: the clock is a parameter.
import { Secret, TOTP } from "otpauth";

export const CODE_DIGITS = 6;
export const TOTP_PERIOD_S = 30;
export const EMAIL_CODE_PERIOD_S = 60;
/** Bytes of a new secret: 160 bits, the HMAC-SHA-1 key size RFC 4226 recommends. */
const SECRET_BYTES = 20;
/** Steps either side of now that are still accepted, for clocks a little off and codes typed late. */
const ACCEPTED_WINDOW = 1;

export type CodeMethod = "totp" | "email";

/** The step length of each method's codes. */
export const PERIOD_S: Record<CodeMethod, number> = { totp: TOTP_PERIOD_S, email: EMAIL_CODE_PERIOD_S };

/** A fresh random secret, base32 without padding (what authenticator apps expect). */
export function newCodeSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

function totp(secretBase32: string, periodS: number, issuer = "", label = ""): TOTP {
  return new TOTP({ issuer, label, algorithm: "SHA1", digits: CODE_DIGITS, period: periodS, secret: Secret.fromBase32(secretBase32) });
}

/** The time step `nowMs` falls in. */
export function stepAt(periodS: number, nowMs: number): number {
  return Math.floor(nowMs / 1000 / periodS);
}

/** The code of the step `nowMs` falls in. */
export function codeAt(secretBase32: string, periodS: number, nowMs: number): string {
  return totp(secretBase32, periodS).generate({ timestamp: nowMs });
}

/**
 * The step whose code `code` is, searching the current step and one either side; null for a wrong or
 * malformed code. The caller records the step so that the same code is not accepted twice.
 */
export function matchCode(secretBase32: string, periodS: number, code: string, nowMs: number): number | null {
  if (!new RegExp(`^[0-9]{${CODE_DIGITS}}$`).test(code)) return null;
  const delta = totp(secretBase32, periodS).validate({ token: code, timestamp: nowMs, window: ACCEPTED_WINDOW });
  return delta === null ? null : stepAt(periodS, nowMs) + delta;
}

/**
 * The `otpauth://totp/...` URI an authenticator app reads from a QR code: issuer = the instance's name,
 * label = the username, SHA-1, 6 digits, 30 s.
 */
export function totpUri(secretBase32: string, issuer: string, username: string): string {
  return totp(secretBase32, TOTP_PERIOD_S, issuer, username).toString();
}
