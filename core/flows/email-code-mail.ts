// The mail with a user's current email MFA code, shared by desktop-client MFA and the admin login.
import * as templates from "../mail/templates.tsx";
import { EMAIL_CODE_PERIOD_S, codeAt } from "../mfa/one-time-codes.ts";
import { type MfaUser, claimEmailCodeSend } from "../mfa/user-mfa.ts";
import { type MailDeps, instanceName, queueMail, wakeMailWorker } from "./notification-mails.ts";

/**
 * Queues the current email code for `user`, once per 60 s step (a second request in the same step would
 * mail the same code, so it sends nothing). Returns true when a mail was queued.
 */
export async function mailEmailCode(deps: Pick<MailDeps, "sql" | "mailWorker"> & { config: { secretKey?: string } }, user: MfaUser, nowMs = Date.now()): Promise<boolean> {
  if (!user.email_mfa_secret || !(await claimEmailCodeSend(deps.sql, user.id, nowMs))) return false;
  const content = templates.mfaCode({
    instanceName: await instanceName(deps.sql),
    firstName: user.first_name,
    code: codeAt(user.email_mfa_secret, EMAIL_CODE_PERIOD_S, nowMs),
    validForS: EMAIL_CODE_PERIOD_S,
  });
  await queueMail(deps.sql, user.email, content, deps.config);
  wakeMailWorker(deps);
  return true;
}
