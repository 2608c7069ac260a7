// `password_reset_init`: someone asks for a reset link for an address. The answer is always the same and
// is given before anything is looked up: the lookup, the token and the mail happen afterwards (see
// background-work.ts), so neither the answer nor its timing tells whether the address has an account.
// At most one request per address per RESET_REQUEST_INTERVAL_S is acted on, counted in the database so
// that every core agrees; the limit applies to unknown addresses alike.
import { invalidArgument } from "../../../shared/errors.ts";
import type { Logger } from "../../../shared/logger.ts";
import * as templates from "../../mail/templates.tsx";
import type { Queryable } from "../../store/queryable.ts";
import { issueUserToken } from "../../store/user-tokens.ts";
import { hashToken } from "../../tokens.ts";
import { instanceName, type MailDeps, queueMail, wakeMailWorker } from "../notification-mails.ts";

/** One reset mail per address per minute at most. */
export const RESET_REQUEST_INTERVAL_S = 60;
/** RFC 5321's limit on a path; longer input is no address. */
const MAX_EMAIL_LENGTH = 254;

export const REQUEST_MESSAGES = {
  /** Logged at WARN for the operator; the requester gets the answer every address gets. */
  mailUnavailable: "Password reset requested but mail is not configured (DEFGUARD_SMTP_HOST and DEFGUARD_SMTP_SENDER, or the SMTP settings): no mail sent",
  emailRequired: "email address is required",
  emailInvalid: "expected an email address such as alice@example.com",
} as const;

/** The address trimmed; INVALID_ARGUMENT for input that cannot be an address (says nothing of accounts). */
export function parseResetEmail(input: string | undefined): string {
  const email = (input ?? "").trim();
  if (!email) throw invalidArgument(REQUEST_MESSAGES.emailRequired);
  if (email.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidArgument(REQUEST_MESSAGES.emailInvalid);
  return email;
}

/**
 * Records this request for the address; false when one was acted on less than the interval ago. Old
 * rows are pruned on the way so the table holds at most a minute's worth of addresses.
 */
async function claimRequestSlot(tx: Queryable, email: string): Promise<boolean> {
  await tx`DELETE FROM password_reset_requests WHERE last_requested_at <= now() - make_interval(secs => ${RESET_REQUEST_INTERVAL_S})`;
  const rows = await tx`
    INSERT INTO password_reset_requests (email_hash, last_requested_at) VALUES (${hashToken(email.toLowerCase())}, now())
    ON CONFLICT (email_hash) DO NOTHING RETURNING email_hash`;
  return rows.length === 1;
}

interface ResettableUser {
  id: number;
  username: string;
  email: string;
  first_name: string;
}

/** The active user with a password and this address (case-insensitive), if any. */
async function findResettableUser(tx: Queryable, email: string): Promise<ResettableUser | undefined> {
  const [user] = await tx<ResettableUser[]>`
    SELECT id, username, email, first_name FROM users
    WHERE lower(email) = lower(${email}) AND is_active AND password_hash IS NOT NULL`;
  return user;
}

/**
 * The work behind one request: rate limit, lookup, a new PASSWORD_RESET token (the user's older unused
 * ones are deleted) and the mail with its link, all in one transaction.
 */
export async function processResetRequest(deps: MailDeps, email: string, log: Logger): Promise<void> {
  const { sql, config } = deps;
  const outcome = await sql.begin(async (tx) => {
    if (!(await claimRequestSlot(tx, email))) return "limited" as const;
    const user = await findResettableUser(tx, email);
    if (!user) return "no-account" as const;
    const issued = await issueUserToken(tx, {
      kind: "PASSWORD_RESET",
      userId: user.id,
      adminId: null,
      email: user.email,
      validForS: config.timeouts.passwordResetTokenS,
    });
    const content = templates.passwordReset({
      instanceName: await instanceName(tx),
      firstName: user.first_name,
      enrollmentUrl: config.enrollmentUrl,
      token: issued.token,
      validForS: config.timeouts.passwordResetTokenS,
    });
    await queueMail(tx, user.email, content, config);
    return user.username;
  });
  if (outcome === "limited") log.info(`Password reset requested again within ${RESET_REQUEST_INTERVAL_S} s for one address: ignored`);
  else if (outcome === "no-account") log.info("Password reset requested for an address without an active account with a password: no mail sent");
  else {
    log.info(`Password reset mail queued for user ${outcome}`);
    wakeMailWorker(deps);
  }
}
