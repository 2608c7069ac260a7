// The password reset token and its session: a PASSWORD_RESET token is valid for
// DEFGUARD_PASSWORD_RESET_TOKEN_TIMEOUT from its creation until first used; first use opens a session of
// DEFGUARD_PASSWORD_RESET_SESSION_TIMEOUT whose end is fixed; the reset spends the token. An enrollment
// token is not a reset token, and the other way round.
import { AppError, permissionDenied, unauthenticated } from "../../../shared/errors.ts";
import type { CoreConfig } from "../../config.ts";
import type { Queryable } from "../../store/queryable.ts";
import { hashToken, looksLikeToken } from "../../tokens.ts";

export const RESET_MESSAGES = {
  tokenMissing: "missing password reset token: open the link from the password reset mail",
  tokenInvalid: "invalid password reset token: request a new password reset",
  tokenExpired: "password reset token expired: request a new password reset",
  tokenUsed: "password reset token already used: request a new password reset",
  sessionNotStarted: "password reset session not started: open the link from the password reset mail",
  sessionExpired: "password reset session expired: request a new password reset",
  userDisabled: "your account is disabled: contact your administrator",
} as const;

interface ResetTokenState {
  token_hash: string;
  kind: string;
  user_id: number;
  used: boolean;
  token_expired: boolean;
  /** Unix seconds; null until the first password_reset_start. */
  session_deadline: number | null;
  session_expired: boolean;
  user_is_active: boolean;
}

export interface ResetSession {
  tokenHash: string;
  userId: number;
  /** Unix seconds at which the session ends. */
  deadline: number;
}

function hashOf(token: string | undefined): string {
  if (!token) throw unauthenticated(RESET_MESSAGES.tokenMissing);
  if (!looksLikeToken(token)) throw unauthenticated(RESET_MESSAGES.tokenInvalid);
  return hashToken(token);
}

async function readState(db: Queryable, config: CoreConfig, tokenHash: string, lock: boolean): Promise<ResetTokenState | undefined> {
  const [state] = await db<ResetTokenState[]>`
    SELECT t.token_hash, t.kind, t.user_id, t.used_at IS NOT NULL AS used,
           (t.expires_at <= now() OR t.created_at + make_interval(secs => ${config.timeouts.passwordResetTokenS}) <= now()) AS token_expired,
           extract(epoch FROM t.session_deadline)::bigint AS session_deadline,
           coalesce(t.session_deadline <= now(), false) AS session_expired,
           u.is_active AS user_is_active
    FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${tokenHash}
    ${lock ? db`FOR UPDATE OF t` : db``}`;
  return state;
}

/** Why the token cannot be used in `mode` (start: may open a session; session: needs an open one). Pure. */
export function resetTokenRejection(state: ResetTokenState | undefined, mode: "start" | "session"): AppError | undefined {
  if (!state || state.kind !== "PASSWORD_RESET") return unauthenticated(RESET_MESSAGES.tokenInvalid);
  if (state.used) return unauthenticated(RESET_MESSAGES.tokenUsed);
  if (state.session_deadline === null) {
    if (state.token_expired) return unauthenticated(RESET_MESSAGES.tokenExpired);
    if (mode === "session") return unauthenticated(RESET_MESSAGES.sessionNotStarted);
  } else if (state.session_expired) {
    return unauthenticated(RESET_MESSAGES.sessionExpired);
  }
  if (!state.user_is_active) return permissionDenied(RESET_MESSAGES.userDisabled);
  return undefined;
}

/** Opens the token's session on first use, or resumes it with the same deadline. Throws as above. */
export async function startResetSession(db: Queryable, config: CoreConfig, token: string | undefined): Promise<ResetSession> {
  const tokenHash = hashOf(token);
  const state = await readState(db, config, tokenHash, false);
  const rejection = resetTokenRejection(state, "start");
  if (rejection) throw rejection;
  if (state!.session_deadline !== null) return { tokenHash, userId: state!.user_id, deadline: state!.session_deadline };
  // Two first uses at once: COALESCE keeps whichever deadline was written first.
  const [opened] = await db<{ deadline: number }[]>`
    UPDATE tokens
    SET session_deadline = coalesce(session_deadline, date_trunc('second', now()) + make_interval(secs => ${config.timeouts.passwordResetSessionS}))
    WHERE token_hash = ${tokenHash} AND used_at IS NULL
    RETURNING extract(epoch FROM session_deadline)::bigint AS deadline`;
  if (!opened) throw unauthenticated(RESET_MESSAGES.tokenInvalid);
  return { tokenHash, userId: state!.user_id, deadline: opened.deadline };
}

/** The open session of `token`; `lock` holds the token row until the caller's transaction ends. */
export async function requireResetSession(
  db: Queryable,
  config: CoreConfig,
  token: string | undefined,
  options: { lock?: boolean } = {},
): Promise<ResetSession> {
  const tokenHash = hashOf(token);
  const state = await readState(db, config, tokenHash, options.lock ?? false);
  const rejection = resetTokenRejection(state, "session");
  if (rejection) throw rejection;
  return { tokenHash, userId: state!.user_id, deadline: state!.session_deadline! };
}
