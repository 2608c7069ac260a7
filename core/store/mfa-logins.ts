// Logins waiting for their second factor (table admin_mfa_logins): the password was right, the user has
// TOTP or email codes. The cookie holds 32 random bytes, the table their SHA-256. Such a login opens no
// admin route: only the /auth/{totp,email,recovery} steps, which turn it into a session once.
import { randomBytes } from "node:crypto";
import { hashToken } from "../tokens.ts";
import type { Queryable } from "./queryable.ts";
import type { SessionClient } from "./sessions.ts";

const MFA_LOGIN_ID_BYTES = 32;

export interface NewMfaLogin {
  /** The cookie value; never stored or logged. */
  id: string;
  expiresAt: Date;
}

/** A pending login for `userId` lasting `validForS` seconds; the user's expired ones are dropped. */
export async function createMfaLogin(q: Queryable, userId: number, validForS: number, client: SessionClient = {}): Promise<NewMfaLogin> {
  const id = randomBytes(MFA_LOGIN_ID_BYTES).toString("base64url");
  await q`DELETE FROM admin_mfa_logins WHERE expires_at <= now()`;
  const [row] = await q<{ expires_at: Date }[]>`
    INSERT INTO admin_mfa_logins (id_hash, user_id, expires_at, ip_address, user_agent)
    VALUES (${hashToken(id)}, ${userId}, now() + make_interval(secs => ${validForS}), ${client.ipAddress ?? null}, ${client.userAgent ?? null})
    RETURNING expires_at`;
  return { id, expiresAt: row!.expires_at };
}

/** The user id of a live pending login of an active user, or null. */
export async function findMfaLogin(q: Queryable, id: string): Promise<number | null> {
  const [row] = await q<{ user_id: number }[]>`
    SELECT l.user_id FROM admin_mfa_logins l JOIN users u ON u.id = l.user_id
    WHERE l.id_hash = ${hashToken(id)} AND l.expires_at > now() AND u.is_active`;
  return row?.user_id ?? null;
}

/** Ends a pending login; true only for the one caller that ended it (a second factor is used once). */
export async function consumeMfaLogin(q: Queryable, id: string): Promise<boolean> {
  const rows = await q`DELETE FROM admin_mfa_logins WHERE id_hash = ${hashToken(id)} AND expires_at > now() RETURNING user_id`;
  return rows.length === 1;
}
