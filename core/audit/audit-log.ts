// The audit trail's store: record() appends one security event without ever failing the request that
// caused it (a database error is logged), list() reads them newest first for GET /api/v1/audit.
import type { Logger } from "../../shared/logger.ts";
import type postgres from "postgres";

/** What happened; `admin_login` comes from the admin API, the others from the flows over the link. */
export const AUDIT_EVENTS = [
  "admin_login",
  "enrollment_started",
  "enrollment_completed",
  "device_added",
  "password_reset_requested",
  "password_reset_started",
  "password_reset_completed",
  "mfa_setup",
  "mfa_login",
  "mfa_guessing",
  "gateway_connected",
  "gateway_disconnected",
  "vpn_client_connected",
  "vpn_client_disconnected",
] as const;
export type AuditEventName = (typeof AUDIT_EVENTS)[number];

/** Stored text is cut to this; a client can send anything as its user agent. */
const MAX_TEXT = 512;
/**
 * Events are written in batches: the first event of a batch waits up to AUDIT_BATCH_MS for others (one
 * INSERT and one commit for all of them instead of one each). At 25 ms those round trips and commits cost
 * about 0.3 ms of CPU per enrollment under `bun run bench` (of ~7 ms besides hashing); at 200 ms they are a
 * few per second, and an event still shows in GET /api/v1/audit within a fifth of a second. A full batch
 * goes at once.
 */
const AUDIT_BATCH_MS = 200;
const AUDIT_BATCH_MAX = 100;

export interface AuditEvent {
  event: AuditEventName;
  outcome: "success" | "failure";
  username?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditRow {
  id: number;
  occurred_at: Date;
  event: AuditEventName;
  outcome: "success" | "failure";
  username: string | null;
  ip_address: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

export interface AuditQuery {
  limit: number;
  /** Only events with an id below this (paging, newest first). */
  beforeId?: number;
  event?: AuditEventName;
  username?: string;
  /** Only events at or after this time. */
  since?: Date;
  /** Only events before this time. */
  until?: Date;
}

export interface AuditLog {
  /** Appends `event` (or what the promise gives; null: nothing) in the background; never throws. */
  record(event: AuditEvent | Promise<AuditEvent | null>): void;
  list(query: AuditQuery): Promise<AuditRow[]>;
  /** Resolves when every record() so far has been written (tests, shutdown). */
  settled(): Promise<void>;
}

/** Text safe to store: no NUL (PostgreSQL refuses it), well-formed, at most MAX_TEXT characters. */
export function storableText(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  return value.replaceAll("\u0000", "").toWellFormed().slice(0, MAX_TEXT);
}

function storableDetails(details: AuditEvent["details"]): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(details ?? {})) out[key] = typeof value === "string" ? storableText(value) : value;
  return out;
}

/** Writes batches of events with one statement each; `flush` writes what waits now. */
function createAuditWriter(sql: postgres.Sql) {
  /** Events waiting for their batch, and how to tell each its outcome. */
  let waiting: { event: AuditEvent; done: (error?: unknown) => void }[] = [];
  /** The timer that writes `waiting`; undefined while nothing waits. */
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const column = (pick: (e: AuditEvent) => string | null | undefined) => batch.map(({ event }) => storableText(pick(event)));
    sql`
      INSERT INTO audit_events (event, outcome, username, ip_address, user_agent, details)
      SELECT * FROM unnest(${column((e) => e.event)}::text[], ${column((e) => e.outcome)}::text[], ${column((e) => e.username)}::text[],
                           ${column((e) => e.ipAddress)}::text[], ${column((e) => e.userAgent)}::text[],
                           ${batch.map(({ event }) => JSON.stringify(storableDetails(event.details)))}::text[]::jsonb[])`.then(
      () => batch.forEach(({ done }) => done()),
      (err: unknown) => batch.forEach(({ done }) => done(err)),
    );
  };
  const writer = {
    flush,
    /** Above zero while someone waits for every write (settled): batches go at the next turn of the loop. */
    eager: 0,
    /** Resolves when the batch holding `event` is written; rejects when that failed. */
    write(event: AuditEvent): Promise<void> {
      return new Promise((resolve, reject) => {
        waiting.push({ event, done: (error) => (error === undefined ? resolve() : reject(error)) });
        if (waiting.length >= AUDIT_BATCH_MAX) flush();
        else timer ??= setTimeout(flush, writer.eager > 0 ? 0 : AUDIT_BATCH_MS);
      });
    },
  };
  return writer;
}

/** `log` is where write failures go (target `defguard::audit`). */
export function createAuditLog(sql: postgres.Sql, log: Logger): AuditLog {
  const writing = new Set<Promise<void>>();
  const writer = createAuditWriter(sql);
  return {
    record(pending) {
      const write = (async () => {
        const event = await pending;
        if (event === null) return;
        await writer.write(event);
      })().catch((err: unknown) => {
        log.warn("Could not record an audit event", { error: err instanceof Error ? err.message : String(err) });
      });
      writing.add(write);
      void write.finally(() => writing.delete(write));
    },
    async list(query) {
      return sql<AuditRow[]>`
        SELECT id, occurred_at, event, outcome, username, ip_address, user_agent, details
        FROM audit_events
        WHERE (${query.beforeId ?? null}::bigint IS NULL OR id < ${query.beforeId ?? null})
          AND (${query.event ?? null}::text IS NULL OR event = ${query.event ?? null})
          AND (${query.username ?? null}::text IS NULL OR username = ${query.username ?? null})
          AND (${query.since ?? null}::timestamptz IS NULL OR occurred_at >= ${query.since ?? null})
          AND (${query.until ?? null}::timestamptz IS NULL OR occurred_at < ${query.until ?? null})
        ORDER BY id DESC
        LIMIT ${query.limit}`;
    },
    async settled() {
      // Meanwhile events are written as soon as they are known (some still wait for their subject).
      writer.eager += 1;
      writer.flush();
      try {
        await Promise.all([...writing]);
      } finally {
        writer.eager -= 1;
      }
    },
  };
}
