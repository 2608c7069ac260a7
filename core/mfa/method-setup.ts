// Setting up a code method for a user, wherever it is asked (the enrollment pages over the link, a
// signed-in user on the admin UI): TOTP stores a pending secret for the authenticator app; email stores
// one and mails its first code; confirming with a right code enables the method and, the first time MFA
// is enabled, answers recovery codes (shown once, stored hashed). Turning methods off and making new
// recovery codes live here too.
import type postgres from "postgres";
import { failedPrecondition, invalidArgument } from "../../shared/errors.ts";
import type { CoreConfig } from "../config.ts";
import { instanceName, queueMail, wakeMailWorker } from "../flows/notification-mails.ts";
import * as templates from "../mail/templates.tsx";
import { smtpConfigured } from "../mail/smtp-settings.ts";
import type { Queryable } from "../store/queryable.ts";
import { METHOD_LABEL } from "./mfa-method.ts";
import { type CodeMethod, EMAIL_CODE_PERIOD_S, codeAt, newCodeSecret } from "./one-time-codes.ts";
import { newRecoveryCodes } from "./recovery-codes.ts";
import { type SecretBox, secretBoxOf } from "./secret-box.ts";
import { type MfaUser, checkUserCode, claimEmailCodeSend, enableMethod, isMethodEnabled, loadMfaUser, resetEmailCodeSend, storePendingSecret } from "./user-mfa.ts";

/** Rejections a user can read; a wrong code is INVALID_ARGUMENT (HTTP 400), as in Defguard. */
export const MFA_SETUP_MESSAGES = {
  alreadyEnabled: (method: CodeMethod) => `${METHOD_LABEL[method]} already enabled for your account`,
  mailUnavailable: "email codes cannot be sent: mail is not configured on this server, choose TOTP",
  notStarted: (method: CodeMethod) => `${METHOD_LABEL[method]} setup not started: start it first`,
  wrongTotpCode: "wrong code: check the clock of your device and enter the current code",
  wrongEmailCode: "wrong or expired code: enter the latest code from the mail",
  reusedCode: "this code was already used: wait for the next one",
  mfaOff: "turn on TOTP or email codes first: recovery codes stand in for them",
} as const;

/** What setting up email codes needs: the database, the SMTP settings, the worker to wake. */
export interface SetupMailDeps {
  sql: postgres.Sql;
  config: Pick<CoreConfig, "smtp" | "secretKey">;
  mailWorker?: { wakeUp(): void };
}

/** Codes of a step either side of now are accepted; mails promise the shorter, certain part. */
const EMAIL_CODE_VALID_S = EMAIL_CODE_PERIOD_S;

/** A new pending TOTP secret for `user`; FAILED_PRECONDITION when TOTP is already on. */
export async function startTotpSetup(q: Queryable, user: MfaUser, secrets: SecretBox): Promise<string> {
  const secret = newCodeSecret();
  if (isMethodEnabled(user, "totp") || !(await storePendingSecret(q, user.id, "totp", secret, secrets))) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled("totp"));
  return secret;
}

/** Keeps a pending email secret (an earlier mail's code stays right), else stores a new one; mails the code once a step. */
export async function startEmailSetup(deps: SetupMailDeps, user: MfaUser): Promise<void> {
  if (isMethodEnabled(user, "email")) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled("email"));
  if (!(await smtpConfigured(deps.sql, deps.config))) throw failedPrecondition(MFA_SETUP_MESSAGES.mailUnavailable);
  let secret = user.email_mfa_secret;
  if (!secret) {
    secret = newCodeSecret();
    if (!(await storePendingSecret(deps.sql, user.id, "email", secret, secretBoxOf(deps.config)))) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled("email"));
    await resetEmailCodeSend(deps.sql, user.id);
  }
  const now = Date.now();
  if (!(await claimEmailCodeSend(deps.sql, user.id, now))) return;
  const content = templates.mfaActivation({
    instanceName: await instanceName(deps.sql),
    firstName: user.first_name,
    code: codeAt(secret, EMAIL_CODE_PERIOD_S, now),
    validForS: EMAIL_CODE_VALID_S,
  });
  await queueMail(deps.sql, user.email, content, deps.config);
  wakeMailWorker(deps);
}

/**
 * Enables `method` for user `userId` when `code` is right for its pending secret; answers the new
 * recovery codes (empty when the user had some). FAILED_PRECONDITION when already on or not started,
 * INVALID_ARGUMENT for a wrong or reused code.
 */
export async function confirmMethod(sql: postgres.Sql, userId: number, method: CodeMethod, code: string, secrets: SecretBox): Promise<string[]> {
  return sql.begin(async (tx) => {
    const user = await loadMfaUser(tx, userId, secrets);
    if (!user || isMethodEnabled(user, method)) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled(method));
    if (!(method === "totp" ? user.totp_secret : user.email_mfa_secret)) throw failedPrecondition(MFA_SETUP_MESSAGES.notStarted(method));
    const check = await checkUserCode(tx, user, method, code.trim(), Date.now());
    if (check === "reused") throw invalidArgument(MFA_SETUP_MESSAGES.reusedCode);
    if (check === "wrong") throw invalidArgument(method === "totp" ? MFA_SETUP_MESSAGES.wrongTotpCode : MFA_SETUP_MESSAGES.wrongEmailCode);
    // The activation mail's code was for the setup: the first sign-in code goes out in a mail of its own.
    if (method === "email") await resetEmailCodeSend(tx, user.id);
    return enableMethod(tx, user.id, method);
  });
}

/**
 * Turns `method` off (its secret forgotten); when no method is left MFA is off and the recovery codes
 * go too, so that turning MFA on again shows fresh ones. False for an unknown user.
 */
export async function disableMethod(q: Queryable, userId: number, method: CodeMethod): Promise<boolean> {
  const rows =
    method === "totp"
      ? await q`UPDATE users SET totp_enabled = false, totp_secret = NULL, mfa_enabled = email_mfa_enabled,
                  recovery_codes = CASE WHEN email_mfa_enabled THEN recovery_codes ELSE '{}' END
                WHERE id = ${userId} RETURNING id`
      : await q`UPDATE users SET email_mfa_enabled = false, email_mfa_secret = NULL, mfa_enabled = totp_enabled,
                  recovery_codes = CASE WHEN totp_enabled THEN recovery_codes ELSE '{}' END
                WHERE id = ${userId} RETURNING id`;
  return rows.length === 1;
}

/** Every method off, secrets and recovery codes forgotten (an admin helping a user who lost them). */
export async function disableAllMfa(q: Queryable, userId: number): Promise<boolean> {
  const rows = await q`
    UPDATE users SET mfa_enabled = false, totp_enabled = false, totp_secret = NULL, email_mfa_enabled = false,
                     email_mfa_secret = NULL, recovery_codes = '{}'
    WHERE id = ${userId} RETURNING id`;
  return rows.length === 1;
}

/** New recovery codes in place of the old ones (all of which stop working); FAILED_PRECONDITION while MFA is off. */
export async function regenerateRecoveryCodes(q: Queryable, userId: number): Promise<string[]> {
  const { codes, hashes } = newRecoveryCodes();
  const rows = await q`UPDATE users SET recovery_codes = ${hashes} WHERE id = ${userId} AND mfa_enabled RETURNING id`;
  if (rows.length === 0) throw failedPrecondition(MFA_SETUP_MESSAGES.mfaOff);
  return codes;
}
