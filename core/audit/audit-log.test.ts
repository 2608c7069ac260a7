// The audit trail's store on a real database: events recorded in batches arrive whole and in order,
// settled() waits for every one, and a database that refuses them leaves warnings, never a throw.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { type AuditEvent, createAuditLog } from "./audit-log.ts";

let db: TestDatabase;
const quiet = createLogger({ level: "error", format: "text", target: "test", write: () => {} });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
});

describe("createAuditLog", () => {
  test("events recorded together are stored whole, in the order recorded, nulls and details included", async () => {
    const audit = createAuditLog(db.sql, quiet);
    const events = Array.from({ length: 7 }, (_, i) => ({
      event: i % 2 ? "device_added" : "enrollment_started",
      outcome: i === 3 ? "failure" : "success",
      username: i === 5 ? null : `user${i}`,
      ipAddress: "198.51.100.7",
      userAgent: i === 1 ? "quote \" backslash \\ comma , brace }" : null,
      details: i === 3 ? { reason: "invalid token", attempt: 2, final: true } : {},
    })) as AuditEvent[];
    for (const event of events) audit.record(event);
    audit.record(Promise.resolve(null));
    audit.record(Promise.resolve({ event: "mfa_login", outcome: "success", username: "a\u0000b" }));
    await audit.settled();

    const rows = (await audit.list({ limit: 9 })).reverse();
    expect(rows.map((r): unknown[] => [r.event, r.outcome, r.username, r.ip_address, r.user_agent, r.details])).toEqual([
      ...events.map((e) => [e.event, e.outcome, e.username ?? null, e.ipAddress, e.userAgent ?? null, e.details]),
      ["mfa_login", "success", "ab", null, null, {}],
    ]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(8);
  });

  test("an event recorded alone is written without anyone waiting for it", async () => {
    const audit = createAuditLog(db.sql, quiet);
    audit.record({ event: "admin_login", outcome: "success", username: "lonely" });
    let found: unknown[] = [];
    for (let i = 0; i < 200 && found.length === 0; i++) {
      await Bun.sleep(10);
      found = await audit.list({ limit: 1, username: "lonely" });
    }
    expect(found.length).toBe(1);
  });

  test("a database that refuses the batch leaves one warning per event; record and settled never throw", async () => {
    const closed = postgres({ host: "127.0.0.1", port: 1, max: 1, connect_timeout: 1, onnotice: () => {} });
    const lines: string[] = [];
    const audit = createAuditLog(closed, createLogger({ level: "warn", format: "text", target: "test", write: (l) => lines.push(l) }));
    audit.record({ event: "admin_login", outcome: "failure" });
    audit.record({ event: "admin_login", outcome: "success" });
    await audit.settled();
    expect(lines.filter((l) => l.includes("Could not record an audit event")).length).toBe(2);
    await closed.end({ timeout: 1 });
  });
});
