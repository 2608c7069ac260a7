// `activate_user`: the user sets their password (and optionally a phone number) inside an open enrollment
// session; this spends the token.
import type { ActivateUserRequest__Output } from "../../../proto/generated/defguard/proxy/ActivateUserRequest.ts";
import { failedPrecondition } from "../../../shared/errors.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import { assertStrongPassword } from "../../password-policy.ts";
import type { Queryable } from "../../store/queryable.ts";
import { hashPassword } from "../../users/passwords.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { type EnrolledUser, notify } from "./events.ts";
import { parsePhoneNumber } from "./phone-number.ts";
import { requireSession, spendToken } from "./session.ts";
import { loadTokenAdmin } from "./start.ts";

/**
 * FAILED_PRECONDITION (HTTP 428), not Defguard's INVALID_ARGUMENT: the request is well formed, the
 * account's state forbids it.
 */
export const ALREADY_ACTIVATED_MESSAGE = "your account is already activated: sign in with your password";

async function isEnrolled(db: Queryable, userId: number): Promise<boolean> {
  const [row] = await db<{ enrolled: boolean }[]>`SELECT password_hash IS NOT NULL AS enrolled FROM users WHERE id = ${userId}`;
  return row?.enrolled ?? false;
}

/** Sets the password unless one is set already (checked again under the token's row lock). */
async function storeActivation(db: Queryable, userId: number, passwordHash: string, phone: string | undefined): Promise<EnrolledUser> {
  const [user] = await db<EnrolledUser[]>`
    UPDATE users SET password_hash = ${passwordHash}, phone = coalesce(${phone ?? null}, phone)
    WHERE id = ${userId} AND password_hash IS NULL
    RETURNING id, username, email, first_name, last_name`;
  if (!user) throw failedPrecondition(ALREADY_ACTIVATED_MESSAGE);
  return user;
}

/**
 * Checks in this order: session (UNAUTHENTICATED / PERMISSION_DENIED), already activated
 * (FAILED_PRECONDITION), password strength and phone (INVALID_ARGUMENT). Hashes outside the transaction
 * so the slow Argon2id never holds a row lock or the embedded database's only connection.
 */
export async function activateUser(deps: EnrollmentDeps, request: ActivateUserRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const { sql, config, log } = deps;
  const session = await requireSession(sql, config, request.token);
  if (await isEnrolled(sql, session.userId)) throw failedPrecondition(ALREADY_ACTIVATED_MESSAGE);
  assertStrongPassword(request.password);
  const phone = parsePhoneNumber(request.phone_number);
  const passwordHash = await hashPassword(request.password);

  const user = await sql.begin(async (tx) => {
    const locked = await requireSession(tx, config, request.token, { lock: true });
    const activated = await storeActivation(tx, locked.userId, passwordHash, phone);
    await spendToken(tx, locked);
    return activated;
  });
  log.info(`User ${user.username} activated their account`);

  if (deps.events?.onUserActivated) {
    const admin = await loadTokenAdmin(sql, session.adminId).catch(() => undefined);
    notify(log, deps.events, "onUserActivated", {
      user,
      admin: admin ? { name: `${admin.first_name} ${admin.last_name}`, email: admin.email } : undefined,
      deviceInfo: context.deviceInfo,
    });
  }
  return { empty: {} };
}
