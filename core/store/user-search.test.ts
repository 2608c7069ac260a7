// The user list's search and paging on a real database: matches in any name field or the email, case
// folded, wildcards taken literally, a page past the end clamped to the last.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type TestDatabase, createTestDatabase } from "../../test/support/database.ts";
import { searchUsers } from "./user-search.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql`
    INSERT INTO users (username, email, first_name, last_name)
    SELECT 'user' || lpad(i::text, 2, '0'), 'user' || i || '@example.com', 'First' || i, 'Last' || i FROM generate_series(1, 30) AS i`;
  await db.sql`INSERT INTO users (username, email, first_name, last_name) VALUES ('ann_lee', 'ann@corp.example', 'Ann', 'Lee 100%')`;
});
afterAll(() => db?.cleanup());

const names = (page: Awaited<ReturnType<typeof searchUsers>>) => page.rows.map((r) => r.username);

describe("searchUsers", () => {
  test("without a search: pages of the given size in username order, the total, a page past the end is the last", async () => {
    const first = await searchUsers(db.sql, { perPage: 10 });
    expect([first.total, first.page, first.pages]).toEqual([31, 1, 4]);
    expect(names(first)).toEqual(["ann_lee", ...Array.from({ length: 9 }, (_, i) => `user0${i + 1}`)]);
    const beyond = await searchUsers(db.sql, { perPage: 10, page: 99 });
    expect([beyond.page, names(beyond)]).toEqual([4, ["user30"]]);
    expect((await searchUsers(db.sql, { perPage: 10, page: -3 })).page).toBe(1);
  });

  test("a search matches any part of username, names or email, in any case; the full name with a space", async () => {
    expect(names(await searchUsers(db.sql, { search: "LAST2" }))).toEqual(["user02", "user20", "user21", "user22", "user23", "user24", "user25", "user26", "user27", "user28", "user29"]);
    expect(names(await searchUsers(db.sql, { search: "corp.EXAMPLE" }))).toEqual(["ann_lee"]);
    expect(names(await searchUsers(db.sql, { search: "ann lee" }))).toEqual(["ann_lee"]);
    const none = await searchUsers(db.sql, { search: "nobody" });
    expect([none.rows, none.total, none.page, none.pages]).toEqual([[], 0, 1, 1]);
  });

  test("% and _ in a search are literal characters, not wildcards", async () => {
    expect(names(await searchUsers(db.sql, { search: "100%" }))).toEqual(["ann_lee"]);
    expect(names(await searchUsers(db.sql, { search: "n_l" }))).toEqual(["ann_lee"]);
    expect((await searchUsers(db.sql, { search: "%" })).total).toBe(1);
    expect((await searchUsers(db.sql, { search: "_" })).total).toBe(1);
  });
});
