// `activate_user`: the user sets their password (and optionally a phone number) inside an open enrollment
// session; this spends the token.
import type { ActivateUserRequest__Output } from "../../../proto/generated/defguard/proxy/ActivateUserRequest.ts";
import { failedPrecondition } from "../../../shared/errors.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import { assertStrongPassword } from "../../password-policy.ts";
import type { Queryable } from "../../store/queryable.ts";
import { type SettingsRow, type WelcomeMailTexts, settingsColumns, welcomeMailColumns } from "../../store/settings.ts";
import { type NewMail, mailInsert } from "../../mail/outbox.ts";
import { hashPassword } from "../../users/passwords.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import { type TokenState, acceptSession, tokenAcceptedSql, tokenHashOf, tokenStateColumns } from "../token-session.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { type ActivationState, requireActivationAllowed } from "./enrollment-policy.ts";
import { parsePhoneNumber } from "./phone-number.ts";
import { ENROLLMENT_SESSION } from "./session.ts";

/**
 * FAILED_PRECONDITION (HTTP 428), not Defguard's INVALID_ARGUMENT: the request is well formed, the
 * account's state forbids it.
 */
export const ALREADY_ACTIVATED_MESSAGE = "your account is already activated: sign in with your password";

/** What is checked before the slow hash, with what the welcome mail needs, in one statement. */
interface ActivationCheck extends TokenState, SettingsRow, WelcomeMailTexts, ActivationState {
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  enrolled: boolean;
}

async function readActivationCheck(db: Queryable, deps: EnrollmentDeps, token: string | undefined): Promise<ActivationCheck | undefined> {
  const [row] = await db<ActivationCheck[]>`
    SELECT ${tokenStateColumns(db, ENROLLMENT_SESSION, deps.config)}, u.username, u.email, u.first_name, u.last_name,
           u.password_hash IS NOT NULL AS enrolled, u.mfa_enabled, ${settingsColumns(db)}, ${welcomeMailColumns(db)},
           -- The session opened at its deadline less the session timeout (whole seconds, rounded down).
           EXISTS (SELECT 1 FROM devices d WHERE d.user_id = u.id
                   AND d.created_at >= t.session_deadline - make_interval(secs => ${ENROLLMENT_SESSION.sessionTimeoutS(deps.config)})) AS device_added
    FROM tokens t JOIN users u ON u.id = t.user_id CROSS JOIN settings s
    WHERE t.token_hash = ${tokenHashOf(ENROLLMENT_SESSION, token)} AND s.id = 1`;
  return row;
}

/** The token's state as locked, and whether this statement activated the user. */
interface ActivationResult extends TokenState {
  activated: boolean;
}

/**
 * One statement, one commit: locks the token's row, and when its session may still be used
 * (tokenAcceptedSql) sets the password of a user who has none, spends the token and queues `notice` (the
 * welcome mail). A concurrent activation waits for the lock, then reads the token as spent and changes
 * nothing.
 */
async function storeActivation(db: Queryable, deps: EnrollmentDeps, tokenHash: string, passwordHash: string, phone: string | undefined, notice: NewMail | undefined) {
  const [result] = await db<ActivationResult[]>`
    WITH state AS (
      SELECT ${tokenStateColumns(db, ENROLLMENT_SESSION, deps.config)}
      FROM tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${tokenHash}
      FOR UPDATE OF t
    ), activated AS (
      UPDATE users SET password_hash = ${passwordHash}, phone = coalesce(${phone ?? null}, users.phone)
      FROM state
      -- The scalar copy of the join condition makes this an index lookup: joined to the CTE alone, the
      -- planner may scan every user.
      WHERE users.id = (SELECT user_id FROM state) AND users.id = state.user_id
        AND users.password_hash IS NULL AND ${tokenAcceptedSql(db, ENROLLMENT_SESSION, "session")}
      RETURNING users.id
    ), spent AS (
      UPDATE tokens SET used_at = now() FROM state, activated WHERE tokens.token_hash = state.token_hash
    ), noticed AS (${notice ? mailInsert(db, notice, { secrets: secretBoxOf(deps.config), condition: db`EXISTS (SELECT 1 FROM activated)` }) : db`SELECT`})
    SELECT state.*, EXISTS (SELECT 1 FROM activated) AS activated FROM state`;
  return result;
}

/**
 * Checks in this order: session (UNAUTHENTICATED / PERMISSION_DENIED), already activated
 * (FAILED_PRECONDITION), the enrollment settings (enrollment-policy.ts: desktop client only
 * PERMISSION_DENIED, MFA and device required FAILED_PRECONDITION), password strength and phone (INVALID_ARGUMENT); the session and the account
 * are checked again when the password is stored. Hashes between the two statements, so the slow
 * Argon2id never holds a row lock or the embedded database's only connection.
 */
export async function activateUser(deps: EnrollmentDeps, request: ActivateUserRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const { sql, log } = deps;
  const check = await readActivationCheck(sql, deps, request.token);
  acceptSession(ENROLLMENT_SESSION, check);
  context.username = check!.username;
  if (check!.enrolled) throw failedPrecondition(ALREADY_ACTIVATED_MESSAGE);
  requireActivationAllowed(check!, context.deviceInfo);
  assertStrongPassword(request.password);
  const phone = parsePhoneNumber(request.phone_number);
  const passwordHash = await hashPassword(request.password);

  const notice = deps.notices?.welcome(check!, check!);
  const result = await storeActivation(sql, deps, check!.token_hash, passwordHash, phone, notice);
  acceptSession(ENROLLMENT_SESSION, result);
  if (!result!.activated) throw failedPrecondition(ALREADY_ACTIVATED_MESSAGE);
  if (notice) deps.notices?.queued();
  log.info(`User ${check!.username} activated their account`);
  return { empty: {} };
}
