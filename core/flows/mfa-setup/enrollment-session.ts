// Which enrollment sessions may set up MFA: those open now. Unlike the other enrollment steps, a session
// whose token was already spent by `activate_user` still counts until its deadline, so the enrollment
// pages may offer the MFA step before or after the password step (Defguard's session runs its 10 minutes
// whatever the order). The rules and their messages are the enrollment flow's own.
import type { CoreConfig } from "../../config.ts";
import type { Queryable } from "../../store/queryable.ts";
import { hashToken, looksLikeToken } from "../../tokens.ts";
import { SESSION_MESSAGES } from "../enrollment.ts";
import { type TokenState, tokenRejection } from "../enrollment/session.ts";
import { unauthenticated } from "../../../shared/errors.ts";

/** The user of the enrollment session open for `token`; throws UNAUTHENTICATED or PERMISSION_DENIED. */
export async function requireMfaSetupSession(db: Queryable, config: CoreConfig, token: string | undefined): Promise<{ userId: number }> {
  if (!token) throw unauthenticated(SESSION_MESSAGES.tokenMissing);
  if (!looksLikeToken(token)) throw unauthenticated(SESSION_MESSAGES.tokenInvalid);
  const [state] = await db<TokenState[]>`
    SELECT t.token_hash, t.kind, t.user_id, t.admin_id, t.used_at IS NOT NULL AS used,
           (t.expires_at <= now() OR t.created_at + make_interval(secs => ${config.timeouts.enrollmentTokenS}) <= now()) AS token_expired,
           extract(epoch FROM t.session_deadline)::bigint AS session_deadline,
           coalesce(t.session_deadline <= now(), false) AS session_expired,
           u.is_active AS user_is_active
    FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${hashToken(token)}`;
  // A spent token with its session still running is accepted; every other rule applies as written.
  const rejection = tokenRejection(state && state.session_deadline !== null ? { ...state, used: false } : state, "session");
  if (rejection) throw rejection;
  return { userId: state!.user_id };
}
