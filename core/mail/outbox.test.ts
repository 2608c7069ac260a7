// The outbox's queries on a real PostgreSQL: claims are exclusive under concurrency, outcomes need the
// claim, and the admin's list shows no body.
import { afterEach, beforeEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { openDatabase } from "../db/connection.ts";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { claimNextMail, enqueueMail, listOutbox, markFailed, markRetry, markSent, nextDueInMs } from "./outbox.ts";
import { outboxRoutes } from "./outbox-routes.ts";

// Real databases (PGlite takes seconds to start) and SMTP on a shared 2-core machine; no duration is asserted.
setDefaultTimeout(30_000);

const log = createLogger({ level: "error", format: "text", target: "test", write: () => {} });
let db: TestDatabase;

beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.cleanup();
});

const mail = (i: number) => ({ to: `u${i}@example.com`, kind: "welcome", subject: `Mail ${i}`, text: `secret text ${i}`, html: `<p>secret html ${i}</p>` });
const LEASE_MS = 60_000;

describe("claims", () => {
  test("12 claimers on two clients (two cores) take each of 60 mails exactly once", async () => {
    const other = await openDatabase(db.config, log);
    try {
      for (let i = 0; i < 60; i++) await enqueueMail(db.sql, mail(i));
      const claimed: number[] = [];
      const claimer = async (sql: typeof db.sql, name: string) => {
        for (let m = await claimNextMail(sql, name, LEASE_MS); m; m = await claimNextMail(sql, name, LEASE_MS)) claimed.push(m.id);
      };
      await Promise.all(Array.from({ length: 12 }, (_, i) => claimer(i % 2 === 0 ? db.sql : other.sql, `w${i}`)));
      expect(claimed).toHaveLength(60);
      expect(new Set(claimed).size).toBe(60);
      const states = await db.sql<{ state: string; n: number }[]>`SELECT state, count(*)::int AS n FROM mail_outbox GROUP BY state`;
      expect([...states]).toEqual([{ state: "sending", n: 60 }]);
    } finally {
      await other.close();
    }
  });

  test("a claimed mail carries its fields and counts the attempt; nothing else is due", async () => {
    const id = await enqueueMail(db.sql, mail(1));
    const claimed = await claimNextMail(db.sql, "w1", LEASE_MS);
    expect(claimed).toMatchObject({ id, to: "u1@example.com", kind: "welcome", subject: "Mail 1", text: "secret text 1", html: "<p>secret html 1</p>", attempts: 1 });
    expect(claimed!.createdAt).toBeInstanceOf(Date);
    expect(await claimNextMail(db.sql, "w2", LEASE_MS)).toBeUndefined();
  });

  test("only the claim holder records an outcome", async () => {
    const id = await enqueueMail(db.sql, mail(1));
    await claimNextMail(db.sql, "w1", LEASE_MS);
    expect(await markSent(db.sql, id, "w2")).toBe(false);
    expect(await markRetry(db.sql, id, "w2", "x", 10)).toBe(false);
    expect(await markFailed(db.sql, id, "w2", "x")).toBe(false);
    expect(await markSent(db.sql, id, "w1")).toBe(true);
    expect(await markSent(db.sql, id, "w1")).toBe(false);
  });

  test("nextDueInMs is undefined when nothing waits (regression: GREATEST(0, NULL) is 0, so an idle worker polled every 50 ms)", async () => {
    expect(await nextDueInMs(db.sql)).toBeUndefined();
  });

  test("a retry is not due before its time; nextDueInMs tells when", async () => {
    const id = await enqueueMail(db.sql, mail(1));
    expect(await nextDueInMs(db.sql)).toBe(0);
    await claimNextMail(db.sql, "w1", LEASE_MS);
    expect(await nextDueInMs(db.sql)).toBeGreaterThan(LEASE_MS - 5_000);
    await markRetry(db.sql, id, "w1", "ECONNECTION: refused", 3_600_000);
    expect(await claimNextMail(db.sql, "w1", LEASE_MS)).toBeUndefined();
    expect(await nextDueInMs(db.sql)).toBeGreaterThan(3_500_000);
    await db.sql`UPDATE mail_outbox SET state = 'sent'`;
    expect(await nextDueInMs(db.sql)).toBeUndefined();
  });
});

describe("the admin's list", () => {
  async function fill() {
    const ids = [await enqueueMail(db.sql, mail(0)), await enqueueMail(db.sql, mail(1)), await enqueueMail(db.sql, mail(2))] as const;
    await claimNextMail(db.sql, "w", LEASE_MS); // mail 0
    await markSent(db.sql, ids[0], "w");
    await claimNextMail(db.sql, "w", LEASE_MS); // mail 1
    await markFailed(db.sql, ids[1], "w", "EENVELOPE: 550 No such user");
    return ids;
  }

  test("listOutbox: newest first, state and errors, never a body", async () => {
    const ids = await fill();
    const list = await listOutbox(db.sql);
    expect(list.map((e) => [e.id, e.state, e.attempts, e.last_error])).toEqual([
      [ids[2], "pending", 0, null],
      [ids[1], "failed", 1, "EENVELOPE: 550 No such user"],
      [ids[0], "sent", 1, null],
    ]);
    expect(Object.keys(list[0]!).sort()).toEqual(["attempts", "created_at", "id", "kind", "last_error", "next_attempt_at", "sent_at", "state", "subject", "to"]);
    expect(list[2]!.sent_at).toBeInstanceOf(Date);
    expect(list[0]!.next_attempt_at).toBeInstanceOf(Date);
    expect(list[1]!.next_attempt_at).toBeNull();
    expect(JSON.stringify(list)).not.toContain("secret");
    expect((await listOutbox(db.sql, { state: "failed" })).map((e) => e.id)).toEqual([ids[1]]);
    expect(await listOutbox(db.sql, { limit: 1 })).toHaveLength(1);
  });

  test("GET /mail/outbox answers the list as JSON with ISO times", async () => {
    const ids = await fill();
    const app = outboxRoutes({ sql: db.sql });
    const res = await app.request("/mail/outbox?state=sent&limit=5");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ id: ids[0], to: "u0@example.com", subject: "Mail 0", kind: "welcome", state: "sent", attempts: 1, last_error: null, next_attempt_at: null });
    expect(body[0]!.sent_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect((await (await app.request("/mail/outbox")).json()) as unknown[]).toHaveLength(3);
  });

  test("GET /mail/outbox refuses a bad limit or state with 400 naming the field", async () => {
    const app = outboxRoutes({ sql: db.sql });
    const cases: [string, string][] = [
      ["/mail/outbox?limit=0", "limit: expected an integer from 1 to 1000"],
      ["/mail/outbox?limit=1001", "limit: expected an integer from 1 to 1000"],
      ["/mail/outbox?limit=2.5", "limit: expected an integer from 1 to 1000"],
      ["/mail/outbox?limit=ten", "limit: expected an integer from 1 to 1000"],
      ["/mail/outbox?state=lost", "state: expected one of pending, sending, sent, failed"],
    ];
    for (const [path, error] of cases) {
      const res = await app.request(path);
      expect([path, res.status, await res.json()]).toEqual([path, 400, { error }]);
    }
  });
});
