// The enrollment token and its session: a token of kind ENROLLMENT is valid for
// DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT from its creation until first used; first use opens a session of
// DEFGUARD_ENROLLMENT_SESSION_TIMEOUT whose end is fixed; activation spends the token. Every enrollment
// request passes here, so every query that reads a token checks kind, expiry, use and session.
import { type AppError, permissionDenied, unauthenticated } from "../../../shared/errors.ts";
import type { CoreConfig } from "../../config.ts";
import type { Queryable } from "../../store/queryable.ts";
import { hashToken, looksLikeToken } from "../../tokens.ts";

/** Every rejection of a token or session, as the user reads it. */
export const SESSION_MESSAGES = {
  tokenMissing: "missing enrollment token: open the enrollment link you received",
  tokenInvalid: "invalid enrollment token: check the link or ask your administrator for a new one",
  tokenExpired: "enrollment token expired: ask your administrator for a new one",
  tokenUsed: "enrollment token already used: ask your administrator for a new one",
  sessionNotStarted: "enrollment session not started: open the enrollment link you received",
  sessionExpired: "enrollment session expired: ask your administrator for a new enrollment link",
  userDisabled: "your account is disabled: contact your administrator",
} as const;

/** The token's row with the clock questions answered by the database's own `now()`. */
export interface TokenState {
  token_hash: string;
  kind: string;
  user_id: number;
  admin_id: number | null;
  used: boolean;
  /** Unused and past `expires_at` or past creation + DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT. */
  token_expired: boolean;
  /** Unix seconds; null until the first `enrollment_start`. */
  session_deadline: number | null;
  session_expired: boolean;
  user_is_active: boolean;
}

export interface EnrollmentSession {
  tokenHash: string;
  userId: number;
  adminId: number | null;
  /** Unix seconds at which the session ends. */
  deadline: number;
}

/**
 * Why a token may not be used, or undefined when it may. `start`: the token opens (or resumes) a
 * session; `session`: the session must already be open. Checks run in this order: kind, use, expiry,
 * session, account state.
 */
export function tokenRejection(state: TokenState | undefined, mode: "start" | "session"): AppError | undefined {
  if (!state || state.kind !== "ENROLLMENT") return unauthenticated(SESSION_MESSAGES.tokenInvalid);
  if (state.used) return unauthenticated(SESSION_MESSAGES.tokenUsed);
  if (state.session_deadline === null) {
    if (state.token_expired) return unauthenticated(SESSION_MESSAGES.tokenExpired);
    if (mode === "session") return unauthenticated(SESSION_MESSAGES.sessionNotStarted);
  } else if (state.session_expired) {
    return unauthenticated(SESSION_MESSAGES.sessionExpired);
  }
  if (!state.user_is_active) return permissionDenied(SESSION_MESSAGES.userDisabled);
  return undefined;
}

/** The token's hash, or an UNAUTHENTICATED error for a token that is absent or cannot be one. */
function hashOf(token: string | undefined): string {
  if (!token) throw unauthenticated(SESSION_MESSAGES.tokenMissing);
  if (!looksLikeToken(token)) throw unauthenticated(SESSION_MESSAGES.tokenInvalid);
  return hashToken(token);
}

async function readTokenState(db: Queryable, config: CoreConfig, tokenHash: string, lock: boolean): Promise<TokenState | undefined> {
  const [state] = await db<TokenState[]>`
    SELECT t.token_hash, t.kind, t.user_id, t.admin_id, t.used_at IS NOT NULL AS used,
           (t.expires_at <= now() OR t.created_at + make_interval(secs => ${config.timeouts.enrollmentTokenS}) <= now()) AS token_expired,
           extract(epoch FROM t.session_deadline)::bigint AS session_deadline,
           coalesce(t.session_deadline <= now(), false) AS session_expired,
           u.is_active AS user_is_active
    FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${tokenHash}
    ${lock ? db`FOR UPDATE OF t` : db``}`;
  return state;
}

function toSession(state: TokenState, deadline: number): EnrollmentSession {
  return { tokenHash: state.token_hash, userId: state.user_id, adminId: state.admin_id, deadline };
}

/**
 * The open session of `token`; throws UNAUTHENTICATED (missing, invalid, used, expired token; session
 * not started or over) or PERMISSION_DENIED (disabled account). `lock` holds the token row until the
 * caller's transaction ends, so that two requests cannot both spend it.
 */
export async function requireSession(
  db: Queryable,
  config: CoreConfig,
  token: string | undefined,
  options: { lock?: boolean } = {},
): Promise<EnrollmentSession> {
  const state = await readTokenState(db, config, hashOf(token), options.lock ?? false);
  const rejection = tokenRejection(state, "session");
  if (rejection) throw rejection;
  return toSession(state!, state!.session_deadline!);
}

/**
 * Opens the session of `token` on first use, ending DEFGUARD_ENROLLMENT_SESSION_TIMEOUT later (whole
 * seconds), or resumes the one already open with its same deadline. Throws as requireSession does.
 */
export async function startSession(db: Queryable, config: CoreConfig, token: string | undefined): Promise<EnrollmentSession> {
  const tokenHash = hashOf(token);
  const state = await readTokenState(db, config, tokenHash, false);
  const rejection = tokenRejection(state, "start");
  if (rejection) throw rejection;
  if (state!.session_deadline !== null) return toSession(state!, state!.session_deadline);
  // Two first uses at once: COALESCE under the row lock keeps whichever deadline was written first.
  const [opened] = await db<{ deadline: number }[]>`
    UPDATE tokens
    SET session_deadline = coalesce(session_deadline, date_trunc('second', now()) + make_interval(secs => ${config.timeouts.enrollmentSessionS}))
    WHERE token_hash = ${tokenHash} AND used_at IS NULL
    RETURNING extract(epoch FROM session_deadline)::bigint AS deadline`;
  if (!opened) throw unauthenticated(SESSION_MESSAGES.tokenInvalid);
  return toSession(state!, opened.deadline);
}

/** Marks the session's token spent; later requests with it are UNAUTHENTICATED. */
export async function spendToken(db: Queryable, session: EnrollmentSession): Promise<void> {
  await db`UPDATE tokens SET used_at = now() WHERE token_hash = ${session.tokenHash}`;
}
