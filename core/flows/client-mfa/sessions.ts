// Desktop-client MFA sessions in the database (client_mfa_sessions), so that any core, or this one after a
// restart, can finish a session another started. The JWT is known here only by its SHA-256.
import type { Queryable } from "../../store/queryable.ts";
import { hashToken } from "../../tokens.ts";
import type { CodeMethod } from "../../mfa/one-time-codes.ts";

/** Wrong codes a session survives; the next wrong one ends it (Defguard: 5). */
export const MAX_FAILED_ATTEMPTS = 5;

export interface ClientMfaSession {
  id: number;
  device_id: number;
  network_id: number;
  user_id: number;
  method: CodeMethod;
  failed_attempts: number;
  expired: boolean;
  /** The device's key, to compare with the token's subject. */
  pubkey: string;
}

export interface NewClientMfaSession {
  token: string;
  deviceId: number;
  networkId: number;
  userId: number;
  method: CodeMethod;
  ttlS: number;
}

/**
 * Stores the session of `token`, replacing the device's earlier session for this location, and prunes
 * expired ones. A session's count of wrong codes ends that session only: what limits guessing over many
 * sessions is the throttle (./throttle.ts), which starting again does not touch.
 */
export async function saveSession(q: Queryable, s: NewClientMfaSession): Promise<void> {
  await q`DELETE FROM client_mfa_sessions WHERE expires_at <= now()`;
  await q`
    INSERT INTO client_mfa_sessions (token_hash, device_id, network_id, user_id, method, expires_at)
    VALUES (${hashToken(s.token)}, ${s.deviceId}, ${s.networkId}, ${s.userId}, ${s.method}, now() + make_interval(secs => ${s.ttlS}))
    ON CONFLICT (device_id, network_id) DO UPDATE
      SET token_hash = EXCLUDED.token_hash, user_id = EXCLUDED.user_id, method = EXCLUDED.method,
          failed_attempts = 0, created_at = now(), expires_at = EXCLUDED.expires_at`;
}

/** The session of `token`, locked until the caller's transaction ends; undefined when there is none. */
export async function lockSession(q: Queryable, token: string): Promise<ClientMfaSession | undefined> {
  const [row] = await q<ClientMfaSession[]>`
    SELECT s.id, s.device_id, s.network_id, s.user_id, s.method, s.failed_attempts, s.expires_at <= now() AS expired, d.pubkey
    FROM client_mfa_sessions s JOIN devices d ON d.id = s.device_id
    WHERE s.token_hash = ${hashToken(token)}
    FOR UPDATE OF s`;
  return row;
}

/** Counts a wrong code; returns the number of wrong codes so far. */
export async function recordFailure(q: Queryable, sessionId: number): Promise<number> {
  const [row] = await q<{ failed_attempts: number }[]>`
    UPDATE client_mfa_sessions SET failed_attempts = failed_attempts + 1 WHERE id = ${sessionId} RETURNING failed_attempts`;
  return row?.failed_attempts ?? MAX_FAILED_ATTEMPTS;
}

export async function deleteSession(q: Queryable, sessionId: number): Promise<void> {
  await q`DELETE FROM client_mfa_sessions WHERE id = ${sessionId}`;
}

/** Whether `token` still has a session that can be finished (not used, not expired, not ended by wrong codes). */
export async function isSessionOpen(q: Queryable, token: string): Promise<boolean> {
  const [row] = await q`
    SELECT 1 FROM client_mfa_sessions
    WHERE token_hash = ${hashToken(token)} AND expires_at > now() AND failed_attempts < ${MAX_FAILED_ATTEMPTS}`;
  return row !== undefined;
}
