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

/** `%text%` for LIKE, lower-cased, with the wildcards of the text itself escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

type Row = UserListRow & { total: number };

const DETAILS = (q: Queryable) => q`
  u.id, u.username, u.email, u.first_name, u.last_name, u.is_active, u.password_hash IS NOT NULL AS enrolled, u.mfa_enabled,
  EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP}) AS is_admin,
  (SELECT count(*)::int FROM devices d WHERE d.user_id = u.id) AS device_count`;

/**
 * One round trip. Without a search the page is read through the username index and the total is a
 * count of `users`; with one, the matching ids are found once (one scan) and give both.
 */
async function selectPage(q: Queryable, where: ReturnType<Queryable> | null, perPage: number, page: number): Promise<Row[]> {
  const offset = (page - 1) * perPage;
  if (!where) {
    return q<Row[]>`
      SELECT (SELECT count(*)::int FROM users) AS total, ${DETAILS(q)}
      FROM (SELECT 1) one LEFT JOIN (SELECT * FROM users ORDER BY username LIMIT ${perPage} OFFSET ${offset}) u ON true
      ORDER BY u.username`;
  }
  return q<Row[]>`
    WITH matched AS MATERIALIZED (SELECT u.id, u.username FROM users u WHERE ${where}),
    paged AS (SELECT id FROM matched ORDER BY username LIMIT ${perPage} OFFSET ${offset})
    SELECT (SELECT count(*)::int FROM matched) AS total, ${DETAILS(q)}
    FROM (SELECT 1) one LEFT JOIN (paged p JOIN users u ON u.id = p.id) ON true
    ORDER BY u.username`;
}

/** `(... LIKE p OR ...)` over username, email, first and last name, and the full name when `search` has a space. */
function matchAny(q: Queryable, search: string): ReturnType<Queryable> {
  const p = containsPattern(search);
  const names = q`lower(u.username) LIKE ${p} OR lower(u.email) LIKE ${p} OR lower(u.first_name) LIKE ${p} OR lower(u.last_name) LIKE ${p}`;
  return search.includes(" ") ? q`(${names} OR lower(u.first_name || ' ' || u.last_name) LIKE ${p})` : q`(${names})`;
}

/** The users matching `search` (any part of username, first or last name, email; case-insensitive). */
export async function searchUsers(q: Queryable, options: { search?: string; page?: number; perPage?: number }): Promise<UserPage> {
  const perPage = options.perPage ?? USERS_PER_PAGE;
  const search = (options.search ?? "").trim().slice(0, MAX_SEARCH_LENGTH);
  const where = search ? matchAny(q, search) : null;
  let page = Math.max(1, Math.floor(options.page ?? 1));
  let rows = await selectPage(q, where, perPage, page);
  const total = rows[0]?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / perPage));
  // A page past the end (an old link, a typed number) shows the last one.
  if (page > pages) {
    page = pages;
    rows = await selectPage(q, where, perPage, page);
  }
  return { rows: rows.filter((r) => r.id !== null).map(({ total: _, ...row }) => row), total, page, pages };
}
