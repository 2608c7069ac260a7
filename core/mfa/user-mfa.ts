// A user's MFA methods in the database: pending and enabled secrets, the replay guard of TOTP codes, the
// once-per-step mailing of email codes, and the hashed recovery codes.
import type { Queryable } from "../store/queryable.ts";
import type { UserRecord } from "../store/users.ts";
import { type CodeMethod, PERIOD_S, matchCode, stepAt } from "./one-time-codes.ts";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes.ts";
import { SEALED_PREFIX, type SecretBox } from "./secret-box.ts";

/** The user's MFA state: the `users` columns the MFA flows read, and whether recovery codes exist. */
export type MfaUser = Pick<
  UserRecord,
  | "id"
  | "username"
  | "email"
  | "first_name"
  | "is_active"
  | "mfa_enabled"
  | "totp_enabled"
  | "totp_secret"
  | "email_mfa_enabled"
  | "email_mfa_secret"
> & { has_recovery_codes: boolean };

/** The columns of each method. */
const COLUMNS: Record<CodeMethod, { enabled: string; secret: string }> = {
  totp: { enabled: "totp_enabled", secret: "totp_secret" },
  email: { enabled: "email_mfa_enabled", secret: "email_mfa_secret" },
};

export type CodeCheck = "ok" | "wrong" | "reused";

/** Where a secret of `method` of `userId` is stored: what it is sealed for (secret-box.ts). */
export const placeOf = (method: CodeMethod, userId: number) => `users.${COLUMNS[method].secret}:${userId}`;

/** The user's MFA state, secrets opened with `secrets` (DEFGUARD_SECRET_KEY). */
export async function loadMfaUser(q: Queryable, userId: number, secrets: SecretBox): Promise<MfaUser | undefined> {
  const [user] = await q<MfaUser[]>`
    SELECT id, username, email, first_name, is_active, mfa_enabled, totp_enabled, totp_secret,
           email_mfa_enabled, email_mfa_secret, cardinality(recovery_codes) > 0 AS has_recovery_codes
    FROM users WHERE id = ${userId}`;
  if (!user) return undefined;
  const open = (stored: string | null, method: CodeMethod) => (stored === null ? null : secrets.open(stored, placeOf(method, user.id)));
  return { ...user, totp_secret: open(user.totp_secret, "totp"), email_mfa_secret: open(user.email_mfa_secret, "email") };
}

export const isMethodEnabled = (user: MfaUser, method: CodeMethod): boolean => (method === "totp" ? user.totp_enabled : user.email_mfa_enabled);

export const secretOf = (user: MfaUser, method: CodeMethod): string | null => (method === "totp" ? user.totp_secret : user.email_mfa_secret);

/** Stores a secret, sealed with `secrets`, for a method that is not enabled yet (an enabled one is never replaced here). */
export async function storePendingSecret(q: Queryable, userId: number, method: CodeMethod, secret: string, secrets: SecretBox): Promise<boolean> {
  const { enabled, secret: column } = COLUMNS[method];
  const sealed = secrets.seal(secret, placeOf(method, userId));
  const rows = await q`UPDATE users SET ${q(column)} = ${sealed} WHERE id = ${userId} AND NOT ${q(enabled)} RETURNING id`;
  return rows.length === 1;
}

/**
 * Checks `code` against the user's secret for `method` at `nowMs`. A TOTP code's step is recorded, so
 * that a code seen once (over a shoulder, in a log) is "reused" afterwards; mailed codes belong to one
 * single-use session and are not recorded.
 */
export async function checkUserCode(q: Queryable, user: MfaUser, method: CodeMethod, code: string, nowMs: number): Promise<CodeCheck> {
  const secret = secretOf(user, method);
  if (!secret) return "wrong";
  const step = matchCode(secret, PERIOD_S[method], code, nowMs);
  if (step === null) return "wrong";
  if (method === "email") return "ok";
  const rows = await q`
    UPDATE users SET totp_last_step = ${step}
    WHERE id = ${user.id} AND (totp_last_step IS NULL OR totp_last_step < ${step}) RETURNING id`;
  return rows.length === 1 ? "ok" : "reused";
}

/**
 * Turns the method on (and MFA as a whole). Returns new recovery codes in clear when the user had none,
 * else an empty list: codes are shown once, when MFA is first enabled.
 */
export async function enableMethod(q: Queryable, userId: number, method: CodeMethod): Promise<string[]> {
  const { enabled } = COLUMNS[method];
  const [row] = await q<{ had_codes: boolean }[]>`
    UPDATE users SET ${q(enabled)} = true, mfa_enabled = true WHERE id = ${userId}
    RETURNING cardinality(recovery_codes) > 0 AS had_codes`;
  if (!row || row.had_codes) return [];
  const { codes, hashes } = newRecoveryCodes();
  await q`UPDATE users SET recovery_codes = ${hashes} WHERE id = ${userId}`;
  return codes;
}

/**
 * True when a mail with the current email code should go out: the first request in this 60 s step. A
 * later request in the same step would mail the very same code, so it sends nothing.
 */
export async function claimEmailCodeSend(q: Queryable, userId: number, nowMs: number): Promise<boolean> {
  const step = stepAt(PERIOD_S.email, nowMs);
  const rows = await q`
    UPDATE users SET email_mfa_sent_step = ${step}
    WHERE id = ${userId} AND email_mfa_sent_step IS DISTINCT FROM ${step} RETURNING id`;
  return rows.length === 1;
}

/** Forgets the last mailed step, so that a new secret's first code is mailed at once. */
export async function resetEmailCodeSend(q: Queryable, userId: number): Promise<void> {
  await q`UPDATE users SET email_mfa_sent_step = NULL WHERE id = ${userId}`;
}

/**
 * Spends one of the user's recovery codes: true when `code` was one of them, which is then gone. One
 * statement, so that two requests with the same code cannot both succeed.
 */
export async function useRecoveryCode(q: Queryable, userId: number, code: string): Promise<boolean> {
  const hash = hashRecoveryCode(code);
  const rows = await q`
    UPDATE users SET recovery_codes = array_remove(recovery_codes, ${hash})
    WHERE id = ${userId} AND ${hash} = ANY (recovery_codes) RETURNING id`;
  return rows.length === 1;
}

/**
 * Seals every TOTP and email-code secret still stored as given (before DEFGUARD_SECRET_KEY was set); a
 * value changed meanwhile is left for the next run. Returns how many values it sealed; none without a key.
 */
export async function sealStoredSecrets(q: Queryable, secrets: SecretBox): Promise<number> {
  if (!secrets.encrypting) return 0;
  let sealed = 0;
  for (const method of ["totp", "email"] as const) {
    const column = COLUMNS[method].secret;
    const rows = await q<{ id: number; value: string }[]>`
      SELECT id, ${q(column)} AS value FROM users WHERE ${q(column)} IS NOT NULL AND ${q(column)} NOT LIKE ${`${SEALED_PREFIX}%`}`;
    for (const row of rows) {
      const updated = await q`
        UPDATE users SET ${q(column)} = ${secrets.seal(row.value, placeOf(method, row.id))}
        WHERE id = ${row.id} AND ${q(column)} = ${row.value} RETURNING id`;
      sealed += updated.length;
    }
  }
  return sealed;
}
