// The admin API's side of the audit trail: every login attempt (success or failure, with the socket
// peer and user agent), and GET /api/v1/audit for admins to read the trail, newest first.
import { Hono, type MiddlewareHandler } from "hono";
import { z } from "zod";
import { clientAddress } from "../admin-api/client-address.ts";
import type { AdminEnv } from "../admin-api/deps.ts";
import { validate } from "../validation.ts";
import { auditCsv } from "./audit-csv.ts";
import { AUDIT_EVENTS, type AuditEvent, type AuditLog, type AuditQuery } from "./audit-log.ts";

export const DEFAULT_AUDIT_PAGE = 100;
export const MAX_AUDIT_PAGE = 1000;
/** Most events one CSV export holds (newest first); narrow the filters for older ones. */
export const MAX_AUDIT_EXPORT = 100_000;

const wholeNumber = (what: string) => z.string().regex(/^\d{1,15}$/, `expected ${what}`).transform(Number);

/** An ISO 8601 time with its offset (`2024-01-24T14:05:00Z`), as a Date. */
const instant = z.iso.datetime({ offset: true, error: "expected an ISO 8601 time, e.g. 2024-01-24T14:05:00Z" }).transform((s) => new Date(s));

const auditQuerySchema = z.object({
  limit: wholeNumber(`a whole number from 1 to ${MAX_AUDIT_PAGE}`)
    .refine((n) => n >= 1 && n <= MAX_AUDIT_PAGE, `expected a whole number from 1 to ${MAX_AUDIT_PAGE}`)
    .default(DEFAULT_AUDIT_PAGE),
  before_id: wholeNumber("an event id").optional(),
  event: z.enum(AUDIT_EVENTS, { error: `expected one of ${AUDIT_EVENTS.join(", ")}` }).optional(),
  username: z.string().max(64, "expected at most 64 characters").optional(),
  since: instant.optional(),
  until: instant.optional(),
});

/** The filters of GET /audit as AuditQuery takes them. */
function toAuditQuery(query: z.output<typeof auditQuerySchema>, limit = query.limit): AuditQuery {
  return { limit, beforeId: query.before_id, event: query.event, username: query.username, since: query.since, until: query.until };
}


/** The username a login request named, if its body was JSON with a string `username`. */
async function attemptedUsername(c: Parameters<MiddlewareHandler>[0]): Promise<string | null> {
  try {
    const body: unknown = await c.req.json();
    const name = (body as { username?: unknown } | null)?.username;
    return typeof name === "string" ? name : null;
  } catch {
    return null;
  }
}

/** Middleware for POST /api/v1/auth: records `admin_login` after the route answered. */
export function auditAdminLogins(audit: AuditLog): MiddlewareHandler {
  return async function auditAdminLogin(c, next) {
    await next();
    if (c.req.method !== "POST") return;
    const status = c.res.status;
    audit.record(
      (async (): Promise<AuditEvent> => ({
        event: "admin_login",
        // 201: the password was right and a second factor is asked for; the route records that step.
        outcome: status === 200 || status === 201 ? "success" : "failure",
        username: await attemptedUsername(c),
        ipAddress: clientAddress(c),
        userAgent: c.req.header("user-agent") ?? null,
        details: status === 200 ? {} : status === 201 ? { second_factor: "required" } : { status },
      }))(),
    );
  };
}

/**
 * GET /audit (admin only, mounted with the admin routes): `limit`, `before_id`, `event`, `username`,
 * `since` and `until` (ISO 8601, `since` inclusive, `until` exclusive). GET /audit/export.csv: the same
 * filters, every matching event up to MAX_AUDIT_EXPORT, as CSV (audit-csv.ts).
 */
export function auditRoutes(audit: AuditLog): Hono<AdminEnv> {
  return new Hono<AdminEnv>()
    .get("/audit", async (c) => c.json(await audit.list(toAuditQuery(validate(auditQuerySchema, c.req.query())))))
    .get("/audit/export.csv", async (c) => {
      const rows = await audit.list(toAuditQuery(validate(auditQuerySchema, c.req.query()), MAX_AUDIT_EXPORT));
      c.header("Content-Disposition", 'attachment; filename="audit-log.csv"');
      return c.body(auditCsv(rows), 200, { "Content-Type": "text/csv; charset=utf-8" });
    });
}
