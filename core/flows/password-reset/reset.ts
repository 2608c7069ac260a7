// `password_reset`: inside an open reset session, the user sets a new password. The token is spent, every
// admin-API session of the user ends, and a "your password was changed" mail is queued, all at once.
import type { PasswordResetRequest__Output } from "../../../proto/generated/defguard/proxy/PasswordResetRequest.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import * as templates from "../../mail/templates.tsx";
import { assertStrongPassword } from "../../password-policy.ts";
import { deleteUserSessions } from "../../store/sessions.ts";
import { hashPassword } from "../../users/passwords.ts";
import { instanceName, type MailDeps, queueMail, wakeMailWorker } from "../notification-mails.ts";
import { requireResetSession } from "./session.ts";

interface ResetUser {
  username: string;
  email: string;
  first_name: string;
}

/**
 * Checks the session (UNAUTHENTICATED / PERMISSION_DENIED), then the password's strength
 * (INVALID_ARGUMENT). Hashes outside the transaction so that Argon2id holds no row lock; the session is
 * checked again under the token's lock so that two resets cannot both spend it.
 */
export async function resetPassword(deps: MailDeps, request: PasswordResetRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const { sql, config, log } = deps;
  await requireResetSession(sql, config, request.token);
  assertStrongPassword(request.password);
  const passwordHash = await hashPassword(request.password);
  const { user, endedSessions } = await sql.begin(async (tx) => {
    const session = await requireResetSession(tx, config, request.token, { lock: true });
    const [user] = await tx<ResetUser[]>`
      UPDATE users SET password_hash = ${passwordHash} WHERE id = ${session.userId}
      RETURNING username, email, first_name`;
    await tx`UPDATE tokens SET used_at = now() WHERE token_hash = ${session.tokenHash}`;
    await tx`DELETE FROM tokens WHERE user_id = ${session.userId} AND kind = 'PASSWORD_RESET' AND used_at IS NULL`;
    const endedSessions = await deleteUserSessions(tx, session.userId);
    const content = templates.passwordChanged({
      instanceName: await instanceName(tx),
      firstName: user!.first_name,
      changedAt: new Date(),
      ...(context.deviceInfo?.ip_address ? { ipAddress: context.deviceInfo.ip_address } : {}),
    });
    await queueMail(tx, user!.email, content, config);
    return { user: user!, endedSessions };
  });
  wakeMailWorker(deps);
  log.info(`User ${user.username} reset their password; ${endedSessions} admin session(s) ended`);
  return { empty: {} };
}
