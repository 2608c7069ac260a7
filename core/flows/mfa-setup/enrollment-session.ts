// Which enrollment sessions may set up MFA: those open now. Unlike the other enrollment steps, a session
// whose token was already spent by `activate_user` still counts until its deadline, so the enrollment
// pages may offer the MFA step before or after the password step (Defguard's session runs its 10 minutes
// whatever the order). The rules and their messages are the enrollment flow's own.
import type { CoreConfig } from "../../config.ts";
import type { Queryable } from "../../store/queryable.ts";
import { ENROLLMENT_SESSION } from "../enrollment/session.ts";
import { readTokenState, tokenHashOf, tokenRejection } from "../token-session.ts";

/** The user of the enrollment session open for `token`; throws UNAUTHENTICATED or PERMISSION_DENIED. */
export async function requireMfaSetupSession(db: Queryable, config: CoreConfig, token: string | undefined): Promise<{ userId: number }> {
  const state = await readTokenState(db, ENROLLMENT_SESSION, config, tokenHashOf(ENROLLMENT_SESSION, token));
  // A spent token with its session still running is accepted; every other rule applies as written.
  const relaxed = state && state.session_deadline !== null ? { ...state, used: false } : state;
  const rejection = tokenRejection(ENROLLMENT_SESSION, relaxed, "session");
  if (rejection) throw rejection;
  return { userId: state!.user_id };
}
