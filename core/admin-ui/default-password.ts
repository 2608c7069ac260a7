// Whether a user still signs in with Defguard's published default password. Checking means an Argon2
// verification (tens of ms), so each stored hash is checked once per process: a changed password is a
// new hash and is checked afresh.
import type { Queryable } from "../store/queryable.ts";
import { ADMIN_GROUP } from "../store/groups.ts";
import { DEFGUARD_DEFAULT_PASSWORD } from "../users/bootstrap-admin.ts";
import { verifyPassword } from "../users/passwords.ts";

/** Hashes remembered at most; past that the memory starts afresh (a few bytes per signed-in user). */
const MAX_REMEMBERED_HASHES = 10_000;
const verdicts = new Map<string, Promise<boolean>>();

export function isDefaultPasswordHash(hash: string | null): Promise<boolean> {
  if (hash === null) return Promise.resolve(false);
  let verdict = verdicts.get(hash);
  if (!verdict) {
    if (verdicts.size >= MAX_REMEMBERED_HASHES) verdicts.clear();
    verdict = verifyPassword(DEFGUARD_DEFAULT_PASSWORD, hash);
    verdicts.set(hash, verdict);
  }
  return verdict;
}

/** True when user `userId` has the default password. */
export async function hasDefaultPassword(q: Queryable, userId: number): Promise<boolean> {
  const [row] = await q<{ password_hash: string | null }[]>`SELECT password_hash FROM users WHERE id = ${userId}`;
  return isDefaultPasswordHash(row?.password_hash ?? null);
}

/** The usernames of active admins still on the default password (for the overview's problems). */
export async function adminsWithDefaultPassword(q: Queryable): Promise<string[]> {
  const rows = await q<{ username: string; password_hash: string | null }[]>`
    SELECT u.username, u.password_hash FROM users u
    WHERE u.is_active AND EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
                                  WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP})
    ORDER BY u.username LIMIT 100`;
  const flags = await Promise.all(rows.map((r) => isDefaultPasswordHash(r.password_hash)));
  return rows.filter((_, i) => flags[i]).map((r) => r.username);
}
