// The first start's administrator: user `admin` in group `admin`, with DEFGUARD_DEFAULT_ADMIN_PASSWORD.
import type postgres from "postgres";
import type { CoreConfig } from "../config.ts";
import type { Logger } from "../../shared/logger.ts";
import { ADMIN_GROUP } from "../store/groups.ts";
import { findUser, replacePasswordHash } from "../store/users.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

export const ADMIN_USERNAME = "admin";
/** Defguard's published default password; a Core still using it is open to anyone who read the docs. */
export const DEFGUARD_DEFAULT_PASSWORD = "pass123";
/** Serializes the first-start check between cores starting together. */
const BOOTSTRAP_LOCK_KEY = 4_447_470_375_004;

type Outcome = "created" | "present" | "name-taken";

/** Under a lock, so that cores starting together create one admin. */
async function createAdminIfNoAdmins(sql: postgres.Sql, password: string): Promise<Outcome> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY}::bigint)`;
    const [member] = await tx`
      SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = ${ADMIN_GROUP} LIMIT 1`;
    if (member) return "present";
    const [taken] = await tx`SELECT 1 FROM users WHERE username = ${ADMIN_USERNAME}`;
    if (taken) return "name-taken";
    const hash = await hashPassword(password);
    const [user] = await tx<{ id: number }[]>`
      INSERT INTO users (username, email, first_name, last_name, password_hash)
      VALUES (${ADMIN_USERNAME}, 'admin@defguard', 'DefGuard', 'Administrator', ${hash}) RETURNING id`;
    await tx`INSERT INTO group_members (group_id, user_id) SELECT id, ${user!.id} FROM groups WHERE name = ${ADMIN_GROUP}`;
    return "created";
  });
}

/** The admin API would listen beyond this host while `admin` still has `pass123` (issue 14, item 7). */
export class DefaultAdminPasswordError extends Error {
  constructor(bindAddress: string) {
    super(
      `the admin API would listen on ${bindAddress} (DEFGUARD_HTTP_BIND_ADDRESS), reachable from other hosts, while user ` +
        `${ADMIN_USERNAME} still has the default password ${DEFGUARD_DEFAULT_PASSWORD}: set DEFGUARD_DEFAULT_ADMIN_PASSWORD to a ` +
        `strong password (it replaces ${DEFGUARD_DEFAULT_PASSWORD} at this start), or set DEFGUARD_HTTP_BIND_ADDRESS=127.0.0.1`,
    );
    this.name = "DefaultAdminPasswordError";
  }
}

export interface BootstrapOptions {
  /** The admin API's bind address when it is not loopback: then `pass123` stops startup instead of a warning. */
  exposedAt?: string;
}

/**
 * Creates `admin` (in group `admin`, password DEFGUARD_DEFAULT_ADMIN_PASSWORD) when group `admin` has no
 * member: the first start, even after users were added with the command line. A deleted `admin` does not
 * come back while another administrator exists, and an existing non-admin user named `admin` is never
 * promoted (a warning says nobody can administer). While `admin`'s password is still `pass123`: a
 * DEFGUARD_DEFAULT_ADMIN_PASSWORD other than `pass123` replaces it; else DefaultAdminPasswordError when
 * `options.exposedAt` is set, a warning at every start when not. Returns true when it created the user.
 */
export async function bootstrapAdmin(sql: postgres.Sql, config: Pick<CoreConfig, "defaultAdminPassword">, log: Logger, options: BootstrapOptions = {}): Promise<boolean> {
  const outcome = await createAdminIfNoAdmins(sql, config.defaultAdminPassword);
  if (outcome === "created") log.info(`Created the first administrator, user ${ADMIN_USERNAME} in group ${ADMIN_GROUP}`);
  if (outcome === "name-taken") {
    log.warn(`Group ${ADMIN_GROUP} has no members, so nobody can use the admin API; user ${ADMIN_USERNAME} exists and was not promoted`);
  }
  const admin = await findUser(sql, ADMIN_USERNAME);
  if (!admin?.password_hash || !(await verifyPassword(DEFGUARD_DEFAULT_PASSWORD, admin.password_hash))) return outcome === "created";
  if (config.defaultAdminPassword !== DEFGUARD_DEFAULT_PASSWORD) {
    if (await replacePasswordHash(sql, admin.id, admin.password_hash, await hashPassword(config.defaultAdminPassword))) {
      log.info(`User ${ADMIN_USERNAME} still had the default password; it is now DEFGUARD_DEFAULT_ADMIN_PASSWORD`);
    }
  } else if (options.exposedAt !== undefined) {
    throw new DefaultAdminPasswordError(options.exposedAt);
  } else {
    log.warn(`User ${ADMIN_USERNAME} still has the default password ${DEFGUARD_DEFAULT_PASSWORD}; change it now`);
  }
  return outcome === "created";
}
