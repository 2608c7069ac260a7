// GET /api/v1/audit's time filters and GET /api/v1/audit/export.csv, through the admin API on a real database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { createTestDatabase } from "../../test/support/database.ts";
import { csvCell } from "./audit-csv.ts";
import { createAuditLog } from "./audit-log.ts";

let ctx: AdminTestContext;
const asAdmin = (path: string) => ctx.call("GET", path, { cookie: ctx.adminCookie });

beforeAll(async () => {
  const db = await createTestDatabase();
  const audit = createAuditLog(db.sql, createLogger({ level: "error", format: "text", target: "test", write: () => {} }));
  ctx = await createAdminTestContext({ audit }, db);
  audit.record({ event: "enrollment_started", outcome: "success", username: "ann", ipAddress: "198.51.100.7", userAgent: 'Mozilla "5", x' });
  audit.record({ event: "mfa_login", outcome: "failure", username: "=cmd|' /C calc'!A0", details: { reason: "invalid code" } });
  await audit.settled();
  // Times fixed by the test: the first event a day earlier than the second.
  await db.sql`UPDATE audit_events SET occurred_at = '2024-01-24T10:00:00Z' WHERE event = 'enrollment_started'`;
  await db.sql`UPDATE audit_events SET occurred_at = '2024-01-25T10:00:00Z' WHERE event = 'mfa_login'`;
});
afterAll(() => ctx.cleanup());

describe("the audit log's filters and export", () => {
  test("since (inclusive) and until (exclusive) pick by time; a bad time is a 400 naming the parameter", async () => {
    const events = async (query: string) => ((await asAdmin(`/api/v1/audit?${query}`)).body as { event: string }[]).map((e) => e.event);
    expect(await events("since=2024-01-25T10:00:00Z&until=2024-02-01T00:00:00Z")).toEqual(["mfa_login"]);
    expect(await events("until=2024-01-25T10:00:00Z")).toEqual(["enrollment_started"]);
    expect(await events("since=2024-01-24T00:00:00Z&until=2024-01-26T00:00:00%2B02:00")).toEqual(["mfa_login", "enrollment_started"]);
    expect(await asAdmin("/api/v1/audit?since=yesterday")).toMatchObject({ status: 400, body: { error: "since: expected an ISO 8601 time, e.g. 2024-01-24T14:05:00Z" } });
  });

  test("the CSV has a header and one line per event, quoted and defused where needed, with the same filters", async () => {
    const res = await asAdmin("/api/v1/audit/export.csv?username=ann");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="audit-log.csv"');
    const id = (await asAdmin("/api/v1/audit?username=ann")).body[0].id;
    expect(res.body).toBe(
      "id,occurred_at,event,outcome,username,ip_address,user_agent,details\r\n" +
        `${id},2024-01-24T10:00:00.000Z,enrollment_started,success,ann,198.51.100.7,"Mozilla ""5"", x",{}\r\n`,
    );
    const all = await asAdmin("/api/v1/audit/export.csv?until=2024-02-01T00:00:00Z");
    expect(all.body.split("\r\n")[1]).toEndWith(`,mfa_login,failure,'=cmd|' /C calc'!A0,,,"{""reason"":""invalid code""}"`);
    expect(await asAdmin("/api/v1/audit/export.csv?event=nope")).toMatchObject({ status: 400 });
  });

  test("csvCell quotes separators and defuses formulas", () => {
    expect(["plain", "a,b", 'say "hi"', "line\nbreak", "=1+1", "+1", "-1", "@SUM(A1)", "\tx"].map(csvCell)).toEqual([
      "plain", '"a,b"', '"say ""hi"""', '"line\nbreak"', "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx",
    ]);
  });
});
