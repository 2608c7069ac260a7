// Users: the table's rows, and the public view of a user (no password hash, no MFA secrets) that the
// admin API answers with.
import { AppError, GrpcStatus, invalidArgument, notFound } from "../../shared/errors.ts";
import { hashPassword } from "../users/passwords.ts";
import type { NewUser, UserUpdate } from "../users/user-schema.ts";
import { ADMIN_GROUP } from "./groups.ts";
import { inTransaction, type Queryable, uniqueViolation } from "./queryable.ts";

/** A row of `users`, secrets included: for the Core's own use, never for an answer. */
export interface UserRecord {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  password_hash: string | null;
  is_active: boolean;
  mfa_enabled: boolean;
  totp_enabled: boolean;
  totp_secret: string | null;
  email_mfa_enabled: boolean;
  email_mfa_secret: string | null;
  recovery_codes: string[];
  created_at: Date;
}

/** What an admin (or the user themself) may see of a user: the record without its secrets, and more. */
export type UserInfo = Pick<
  UserRecord,
  "id" | "username" | "email" | "first_name" | "last_name" | "phone" | "is_active" | "mfa_enabled" | "totp_enabled" | "email_mfa_enabled"
> & {
  /** A password is set: the user finished enrollment (or an admin gave one). */
  enrolled: boolean;
  is_admin: boolean;
  groups: string[];
};

type UserInfoRow = Omit<UserInfo, "is_admin">;

const alreadyExists = (message: string) => new AppError(GrpcStatus.ALREADY_EXISTS, message);

function conflictFor(err: unknown, input: { username?: string; email?: string }): unknown {
  const constraint = uniqueViolation(err);
  if (constraint === "users_username_key") return alreadyExists(`username ${input.username} is already taken`);
  if (constraint === "users_email_lower_key") return alreadyExists(`email ${input.email} is already in use`);
  return err;
}

async function selectUserInfos(q: Queryable, where: ReturnType<Queryable>): Promise<UserInfo[]> {
  const rows = await q<UserInfoRow[]>`
    SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.phone, u.is_active,
           u.password_hash IS NOT NULL AS enrolled, u.mfa_enabled, u.totp_enabled, u.email_mfa_enabled,
           ARRAY(SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id
                 WHERE m.user_id = u.id ORDER BY g.name) AS groups
    FROM users u WHERE ${where} ORDER BY u.username`;
  return rows.map((r) => ({ ...r, is_admin: r.groups.includes(ADMIN_GROUP) }));
}

export async function listUsers(q: Queryable): Promise<UserInfo[]> {
  return selectUserInfos(q, q`true`);
}

/** The public view of one user, or null. */
export async function getUserInfo(q: Queryable, username: string): Promise<UserInfo | null> {
  return (await selectUserInfos(q, q`u.username = ${username}`))[0] ?? null;
}

export async function getUserInfoById(q: Queryable, id: number): Promise<UserInfo | null> {
  return (await selectUserInfos(q, q`u.id = ${id}`))[0] ?? null;
}

export async function findUser(q: Queryable, username: string): Promise<UserRecord | null> {
  const [row] = await q<UserRecord[]>`SELECT * FROM users WHERE username = ${username}`;
  return row ?? null;
}

export async function findUserById(q: Queryable, id: number): Promise<UserRecord | null> {
  const [row] = await q<UserRecord[]>`SELECT * FROM users WHERE id = ${id}`;
  return row ?? null;
}

/** By username, else by email (case-insensitive), as Defguard's login accepts either. */
export async function findUserByLogin(q: Queryable, login: string): Promise<UserRecord | null> {
  const [row] = await q<UserRecord[]>`
    SELECT * FROM users WHERE username = ${login} OR lower(email) = lower(${login})
    ORDER BY (username = ${login}) DESC LIMIT 1`;
  return row ?? null;
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRecord | null> {
  const [row] = await q<UserRecord[]>`SELECT * FROM users WHERE lower(email) = lower(${email})`;
  return row ?? null;
}

/**
 * Adds a user (password hashed with Argon2id when given). Throws AppError ALREADY_EXISTS naming the
 * username or email already in use.
 */
export async function createUser(q: Queryable, input: NewUser): Promise<UserInfo> {
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  try {
    const [row] = await q<{ id: number }[]>`
      INSERT INTO users (username, email, first_name, last_name, phone, password_hash)
      VALUES (${input.username}, ${input.email}, ${input.first_name}, ${input.last_name}, ${input.phone ?? null}, ${passwordHash})
      RETURNING id`;
    return (await getUserInfoById(q, row!.id))!;
  } catch (err) {
    throw conflictFor(err, input);
  }
}

/** Changes the given fields; null when no such user. Throws ALREADY_EXISTS for an email in use. */
export async function updateUser(q: Queryable, username: string, patch: UserUpdate): Promise<UserInfo | null> {
  const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(fields).length === 0) return getUserInfo(q, username);
  try {
    const rows = await q`UPDATE users SET ${q(fields)} WHERE username = ${username} RETURNING id`;
    return rows.length ? getUserInfo(q, username) : null;
  } catch (err) {
    throw conflictFor(err, { email: patch.email });
  }
}

/**
 * True when the user existed. Their devices, tokens and sessions go with them (ON DELETE CASCADE).
 * Throws INVALID_ARGUMENT rather than delete the last member of `admin`.
 */
export async function deleteUser(q: Queryable, username: string): Promise<boolean> {
  return inTransaction(q, async (tx) => {
    // Locking the admin group row serializes this check with concurrent deletions and removals.
    await tx`SELECT id FROM groups WHERE name = ${ADMIN_GROUP} FOR UPDATE`;
    const [user] = await tx<{ id: number }[]>`SELECT id FROM users WHERE username = ${username}`;
    if (!user) return false;
    const [admins] = await tx<{ n: number; member: boolean }[]>`
      SELECT count(*) AS n, bool_or(m.user_id = ${user.id}) AS member
      FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = ${ADMIN_GROUP}`;
    if (admins!.member && admins!.n === 1) {
      throw invalidArgument(`${username} is the last member of group ${ADMIN_GROUP} and cannot be deleted`);
    }
    await tx`DELETE FROM users WHERE id = ${user.id}`;
    return true;
  });
}

/** Hashes and stores a new password; throws NOT_FOUND for an unknown user id. */
export async function setUserPassword(q: Queryable, userId: number, password: string): Promise<void> {
  const hash = await hashPassword(password);
  const rows = await q`UPDATE users SET password_hash = ${hash} WHERE id = ${userId} RETURNING id`;
  if (rows.length === 0) throw notFound(`user ${userId} not found`);
}

/**
 * Stores `newHash` in place of `oldHash`; false, and nothing written, when the password changed since
 * `oldHash` was read (a reset racing a login must not be undone by the login's rehash).
 */
export async function replacePasswordHash(q: Queryable, userId: number, oldHash: string, newHash: string): Promise<boolean> {
  const rows = await q`UPDATE users SET password_hash = ${newHash} WHERE id = ${userId} AND password_hash = ${oldHash} RETURNING id`;
  return rows.length === 1;
}

export async function isAdmin(q: Queryable, userId: number): Promise<boolean> {
  const [row] = await q<{ admin: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
                   WHERE m.user_id = ${userId} AND g.name = ${ADMIN_GROUP}) AS admin`;
  return row!.admin;
}
