// A one-time token and the session its first use opens, shared by enrollment and password reset: a
// token is valid for its kind's token timeout from creation until first used; first use opens a session
// whose end is fixed (starting again returns the same deadline); the flow's last step spends the token.
// Every read checks kind, use, expiry, session and account state, with the database's own clock.
import type postgres from "postgres";
import { type AppError, permissionDenied, unauthenticated } from "../../shared/errors.ts";
import type { CoreConfig } from "../config.ts";
import type { Queryable } from "../store/queryable.ts";
import { type TokenKind, hashToken, looksLikeToken } from "../tokens.ts";

/** Every rejection of a token or session, as the user reads it. */
export interface SessionMessages {
  tokenMissing: string;
  tokenInvalid: string;
  tokenExpired: string;
  tokenUsed: string;
  sessionNotStarted: string;
  sessionExpired: string;
  userDisabled: string;
}

/** What differs between the flows: the token kind, its two timeouts and the words of each rejection. */
export interface TokenSessionSpec {
  kind: TokenKind;
  tokenTimeoutS: (config: CoreConfig) => number;
  sessionTimeoutS: (config: CoreConfig) => number;
  messages: SessionMessages;
}

/** The token's row with the clock questions answered by the database's `now()`. */
export interface TokenState {
  token_hash: string;
  kind: string;
  user_id: number;
  admin_id: number | null;
  used: boolean;
  /** Unused and past `expires_at` or past creation + the kind's token timeout. */
  token_expired: boolean;
  /** Unix seconds; null until the first use. */
  session_deadline: number | null;
  session_expired: boolean;
  user_is_active: boolean;
}

export interface TokenSession {
  tokenHash: string;
  userId: number;
  adminId: number | null;
  /** Unix seconds at which the session ends. */
  deadline: number;
}

/**
 * Why a token may not be used, or undefined when it may. `start`: the token opens (or resumes) a
 * session; `session`: the session must already be open. Checks run in this order: kind, use, expiry,
 * session, account state. Pure.
 */
export function tokenRejection(spec: TokenSessionSpec, state: TokenState | undefined, mode: "start" | "session"): AppError | undefined {
  const m = spec.messages;
  if (!state || state.kind !== spec.kind) return unauthenticated(m.tokenInvalid);
  if (state.used) return unauthenticated(m.tokenUsed);
  if (state.session_deadline === null) {
    if (state.token_expired) return unauthenticated(m.tokenExpired);
    if (mode === "session") return unauthenticated(m.sessionNotStarted);
  } else if (state.session_expired) {
    return unauthenticated(m.sessionExpired);
  }
  if (!state.user_is_active) return permissionDenied(m.userDisabled);
  return undefined;
}

/**
 * tokenRejection's "may be used" as an SQL condition over `state`, a row of tokenStateColumns, for a
 * statement that writes only when the token may be used (in the same round trip as reading it); the
 * caller still asks tokenRejection for the reason. token-session.test.ts holds both to one answer.
 */
export function tokenAcceptedSql(db: Queryable, spec: TokenSessionSpec, mode: "start" | "session") {
  const sessionOpen = db`state.session_deadline IS NOT NULL AND NOT state.session_expired`;
  const open = mode === "start" ? db`(state.session_deadline IS NULL AND NOT state.token_expired OR ${sessionOpen})` : db`(${sessionOpen})`;
  return db`(state.kind = ${spec.kind} AND NOT state.used AND ${open} AND state.user_is_active)`;
}

/** The token's hash, or an UNAUTHENTICATED error for a token that is absent or cannot be one. */
export function tokenHashOf(spec: TokenSessionSpec, token: string | undefined): string {
  if (!token) throw unauthenticated(spec.messages.tokenMissing);
  if (!looksLikeToken(token)) throw unauthenticated(spec.messages.tokenInvalid);
  return hashToken(token);
}

/**
 * The columns of TokenState, for a query over `tokens t JOIN users u ON u.id = t.user_id`: flows that need
 * more of the user or the settings in the same round trip select these beside their own.
 */
export function tokenStateColumns(db: Queryable, spec: TokenSessionSpec, config: CoreConfig) {
  return db`
    t.token_hash, t.kind, t.user_id, t.admin_id, t.used_at IS NOT NULL AS used,
    (t.expires_at <= now() OR t.created_at + make_interval(secs => ${spec.tokenTimeoutS(config)}) <= now()) AS token_expired,
    extract(epoch FROM t.session_deadline)::bigint AS session_deadline,
    coalesce(t.session_deadline <= now(), false) AS session_expired,
    u.is_active AS user_is_active`;
}

/** The token's state; `lock` holds the row until the caller's transaction ends. */
export async function readTokenState(
  db: Queryable,
  spec: TokenSessionSpec,
  config: CoreConfig,
  tokenHash: string,
  lock = false,
): Promise<TokenState | undefined> {
  const [state] = await db<TokenState[]>`
    SELECT ${tokenStateColumns(db, spec, config)}
    FROM tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${tokenHash}
    ${lock ? db`FOR UPDATE OF t` : db``}`;
  return state;
}

function toSession(state: TokenState, deadline: number): TokenSession {
  return { tokenHash: state.token_hash, userId: state.user_id, adminId: state.admin_id, deadline };
}

/**
 * The open session that `state` (read with tokenStateColumns) describes; throws as requireTokenSession
 * does. For flows that read the token together with more in one query.
 */
export function acceptSession(spec: TokenSessionSpec, state: TokenState | undefined): TokenSession {
  const rejection = tokenRejection(spec, state, "session");
  if (rejection) throw rejection;
  return toSession(state!, state!.session_deadline!);
}

/**
 * The open session of `token`; throws UNAUTHENTICATED (missing, invalid, used, expired token; session
 * not started or over) or PERMISSION_DENIED (disabled account). `lock` holds the token row until the
 * caller's transaction ends, so that two requests cannot both spend it.
 */
export async function requireTokenSession(
  db: Queryable,
  spec: TokenSessionSpec,
  config: CoreConfig,
  token: string | undefined,
  options: { lock?: boolean } = {},
): Promise<TokenSession> {
  return acceptSession(spec, await readTokenState(db, spec, config, tokenHashOf(spec, token), options.lock ?? false));
}

/** TokenState, and the deadline the same statement wrote when it opened the session (else null). */
interface StartedState extends TokenState {
  opened_deadline: number | null;
}

/**
 * Opens the session of `token` on first use, ending the kind's session timeout later (whole seconds),
 * or resumes the one already open with its same deadline. Throws as requireTokenSession does. One
 * statement reads the token and, when it may start (tokenAcceptedSql), opens its session; a resumed
 * session is not written to.
 */
export async function startTokenSession(
  db: Queryable,
  spec: TokenSessionSpec,
  config: CoreConfig,
  token: string | undefined,
): Promise<TokenSession> {
  return (await startTokenSessionWith(db, spec, config, token)).session;
}

/**
 * startTokenSession, and in the same statement `columns`: a select list over `state` (the token, as
 * tokenStateColumns), `u` (its user) and `s` (the settings row), e.g. what a page shows. `row` holds
 * them (and the token's state) when the session was accepted.
 */
export async function startTokenSessionWith<Row extends object = object>(
  db: Queryable,
  spec: TokenSessionSpec,
  config: CoreConfig,
  token: string | undefined,
  columns?: postgres.Fragment,
): Promise<{ session: TokenSession; row: Row & TokenState }> {
  const tokenHash = tokenHashOf(spec, token);
  // Two first uses at once: COALESCE under the row lock keeps whichever deadline was written first.
  const [state] = await db<(StartedState & Row)[]>`
    WITH state AS (
      SELECT ${tokenStateColumns(db, spec, config)}
      FROM tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${tokenHash}
    ), opened AS (
      UPDATE tokens t
      SET session_deadline = coalesce(t.session_deadline, date_trunc('second', now()) + make_interval(secs => ${spec.sessionTimeoutS(config)}))
      FROM state
      WHERE t.token_hash = state.token_hash AND t.used_at IS NULL AND state.session_deadline IS NULL
        AND ${tokenAcceptedSql(db, spec, "start")}
      RETURNING extract(epoch FROM t.session_deadline)::bigint AS deadline
    )
    SELECT state.*, (SELECT deadline FROM opened) AS opened_deadline ${columns ? db`, ${columns}` : db``}
    FROM state ${columns ? db`JOIN users u ON u.id = state.user_id JOIN settings s ON s.id = 1` : db``}`;
  const rejection = tokenRejection(spec, state, "start");
  if (rejection) throw rejection;
  const deadline = state!.session_deadline ?? state!.opened_deadline;
  // Spent between this statement's snapshot and its write: no session to open any more.
  if (deadline === null) throw unauthenticated(spec.messages.tokenInvalid);
  return { session: toSession(state!, deadline), row: state! };
}
