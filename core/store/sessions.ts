// Admin-API sessions: the cookie holds 32 random bytes; the database holds only their SHA-256, so a copy
// of the database opens no session.
import { randomBytes } from "node:crypto";
import { hashToken } from "../tokens.ts";
import { ADMIN_GROUP } from "./groups.ts";
import type { Queryable } from "./queryable.ts";

const SESSION_ID_BYTES = 32;

export interface NewSession {
  /** The cookie value; never stored or logged. */
  id: string;
  expiresAt: Date;
}

export interface SessionUser {
  userId: number;
  username: string;
  isAdmin: boolean;
  expiresAt: Date;
}

export interface SessionClient {
  ipAddress?: string | null;
  userAgent?: string | null;
}

/**
 * Opens a session for `userId` lasting `validForS` seconds (DEFGUARD_SESSION_TIMEOUT), and drops the
 * user's expired ones so that they do not pile up.
 */
export async function createSession(q: Queryable, userId: number, validForS: number, client: SessionClient = {}): Promise<NewSession> {
  const id = randomBytes(SESSION_ID_BYTES).toString("base64url");
  await q`DELETE FROM sessions WHERE user_id = ${userId} AND expires_at <= now()`;
  const [row] = await q<{ expires_at: Date }[]>`
    INSERT INTO sessions (id_hash, user_id, expires_at, ip_address, user_agent)
    VALUES (${hashToken(id)}, ${userId}, now() + make_interval(secs => ${validForS}), ${client.ipAddress ?? null}, ${client.userAgent ?? null})
    RETURNING expires_at`;
  return { id, expiresAt: row!.expires_at };
}

/** The user of a live session of an active user, or null (unknown, expired, or user disabled). */
export async function findSessionUser(q: Queryable, id: string): Promise<SessionUser | null> {
  const [row] = await q<{ user_id: number; username: string; is_admin: boolean; expires_at: Date }[]>`
    SELECT s.user_id, u.username, s.expires_at,
           EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
                   WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP}) AS is_admin
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id_hash = ${hashToken(id)} AND s.expires_at > now() AND u.is_active`;
  return row ? { userId: row.user_id, username: row.username, isAdmin: row.is_admin, expiresAt: row.expires_at } : null;
}

export async function deleteSession(q: Queryable, id: string): Promise<void> {
  await q`DELETE FROM sessions WHERE id_hash = ${hashToken(id)}`;
}

/** Ends every session of a user (after a password reset, when disabled); returns how many ended. */
export async function deleteUserSessions(q: Queryable, userId: number): Promise<number> {
  const rows = await q`DELETE FROM sessions WHERE user_id = ${userId} RETURNING user_id`;
  return rows.length;
}

export async function deleteExpiredSessions(q: Queryable): Promise<number> {
  const rows = await q`DELETE FROM sessions WHERE expires_at <= now() RETURNING user_id`;
  return rows.length;
}

/** Ends every session of a user but `keepId` (after they changed their password); returns how many ended. */
export async function deleteOtherSessions(q: Queryable, userId: number, keepId: string): Promise<number> {
  const rows = await q`DELETE FROM sessions WHERE user_id = ${userId} AND id_hash <> ${hashToken(keepId)} RETURNING user_id`;
  return rows.length;
}
