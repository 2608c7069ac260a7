// One page of users for the admin UI's list: a search over username, names and email, ordered by
// username (its unique index), LIMIT/OFFSET, with the total. At 10,000 users a page reads its 25 rows
// through the index and the count is one scan of `users` (bench/ui.ts measures it).
import { ADMIN_GROUP } from "./groups.ts";
import type { Queryable } from "./queryable.ts";

export const USERS_PER_PAGE = 25;
export const MAX_SEARCH_LENGTH = 100;

export interface UserListRow {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  enrolled: boolean;
  mfa_enabled: boolean;
  is_admin: boolean;
  device_count: number;
}

export interface UserPage {
  rows: UserListRow[];
  total: number;
  /** 1-based, clamped to the pages there are. */
  page: number;
  pages: number;
}

/** `%text%` for ILIKE with the wildcards of the text itself escaped. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The users matching `search` (any part of username, first or last name, email; case-insensitive). */
export async function searchUsers(q: Queryable, options: { search?: string; page?: number; perPage?: number }): Promise<UserPage> {
  const perPage = options.perPage ?? USERS_PER_PAGE;
  const search = (options.search ?? "").trim().slice(0, MAX_SEARCH_LENGTH);
  const pattern = containsPattern(search);
  const where = search
    ? q`(u.username ILIKE ${pattern} OR u.email ILIKE ${pattern} OR u.first_name ILIKE ${pattern} OR u.last_name ILIKE ${pattern}
         OR (u.first_name || ' ' || u.last_name) ILIKE ${pattern})`
    : q`true`;
  const [counted] = await q<{ total: number }[]>`SELECT count(*)::int AS total FROM users u WHERE ${where}`;
  const total = counted!.total;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await q<UserListRow[]>`
    SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.is_active, u.password_hash IS NOT NULL AS enrolled,
           u.mfa_enabled,
           EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
                   WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP}) AS is_admin,
           (SELECT count(*)::int FROM devices d WHERE d.user_id = u.id) AS device_count
    FROM users u WHERE ${where}
    ORDER BY u.username LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`;
  return { rows, total, page, pages };
}
