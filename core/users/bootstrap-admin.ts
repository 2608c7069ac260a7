// The first start's administrator: user `admin` in group `admin`, with DEFGUARD_DEFAULT_ADMIN_PASSWORD.
import type postgres from "postgres";
import type { CoreConfig } from "../config.ts";
import type { Logger } from "../../shared/logger.ts";
import { ADMIN_GROUP } from "../store/groups.ts";
import { findUser } from "../store/users.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

export const ADMIN_USERNAME = "admin";
/** Defguard's published default password; a Core still using it is open to anyone who read the docs. */
export const DEFGUARD_DEFAULT_PASSWORD = "pass123";
/** Serializes the first-start check between cores starting together. */
const BOOTSTRAP_LOCK_KEY = 4_447_470_375_004;

/**
 * Creates `admin` when the database has no user at all (the first start; deleting `admin` later does
 * not bring it back), then warns on every start while `admin`'s password is still `pass123`.
 * Returns true when it created the user.
 */
export async function bootstrapAdmin(sql: postgres.Sql, config: Pick<CoreConfig, "defaultAdminPassword">, log: Logger): Promise<boolean> {
  const created = await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY}::bigint)`;
    const [any] = await tx`SELECT 1 FROM users LIMIT 1`;
    if (any) return false;
    const hash = await hashPassword(config.defaultAdminPassword);
    const [user] = await tx<{ id: number }[]>`
      INSERT INTO users (username, email, first_name, last_name, password_hash)
      VALUES (${ADMIN_USERNAME}, 'admin@defguard', 'DefGuard', 'Administrator', ${hash}) RETURNING id`;
    await tx`INSERT INTO group_members (group_id, user_id) SELECT id, ${user!.id} FROM groups WHERE name = ${ADMIN_GROUP}`;
    return true;
  });
  if (created) log.info(`Created the first administrator, user ${ADMIN_USERNAME} in group ${ADMIN_GROUP}`);
  const admin = await findUser(sql, ADMIN_USERNAME);
  if (admin && (await verifyPassword(DEFGUARD_DEFAULT_PASSWORD, admin.password_hash))) {
    log.warn(`User ${ADMIN_USERNAME} still has the default password ${DEFGUARD_DEFAULT_PASSWORD}; change it now`);
  }
  return created;
}
