// The token rules twice over: tokenRejection (JavaScript, with the reasons) and tokenAcceptedSql (the same
// "may be used" inside a writing statement) must agree on every state a token can be in.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { ENROLLMENT_SESSION } from "./enrollment/session.ts";
import { type TokenState, tokenAcceptedSql, tokenRejection } from "./token-session.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
});

/** Every combination of the facts tokenRejection looks at. */
function everyState(): TokenState[] {
  const states: TokenState[] = [];
  for (let bits = 0; bits < 64; bits++) {
    const bit = (n: number) => (bits & (1 << n)) !== 0;
    states.push({
      token_hash: `h${bits}`,
      kind: bit(0) ? "ENROLLMENT" : "PASSWORD_RESET",
      user_id: 1,
      admin_id: null,
      used: bit(1),
      token_expired: bit(2),
      session_deadline: bit(3) ? 1_700_000_000 : null,
      session_expired: bit(4),
      user_is_active: bit(5),
    });
  }
  return states;
}

/** One field of every state as text (null stays null): postgres.js sends text arrays as they are. */
const text = (states: TokenState[], field: keyof TokenState) => states.map((s) => (s[field] === null ? null : String(s[field])));

describe("tokenAcceptedSql", () => {
  for (const mode of ["start", "session"] as const) {
    test(`agrees with tokenRejection in mode ${mode} for all 64 states`, async () => {
      const states = everyState();
      const sql = db.sql;
      const rows = await sql<{ token_hash: string; accepted: boolean }[]>`
        SELECT state.token_hash, ${tokenAcceptedSql(sql, ENROLLMENT_SESSION, mode)} AS accepted
        FROM unnest(${states.map((s) => s.token_hash)}::text[], ${states.map((s) => s.kind)}::text[],
                    ${text(states, "used")}::text[]::boolean[], ${text(states, "token_expired")}::text[]::boolean[],
                    ${text(states, "session_deadline")}::text[]::bigint[], ${text(states, "session_expired")}::text[]::boolean[],
                    ${text(states, "user_is_active")}::text[]::boolean[])
             AS state(token_hash, kind, used, token_expired, session_deadline, session_expired, user_is_active)`;
      const accepted = new Map(rows.map((r) => [r.token_hash, r.accepted]));
      for (const state of states) {
        expect({ state, accepted: accepted.get(state.token_hash) }).toEqual({ state, accepted: tokenRejection(ENROLLMENT_SESSION, state, mode) === undefined });
      }
    });
  }
});
