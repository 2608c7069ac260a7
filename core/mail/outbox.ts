// The mail outbox table: flows enqueue (inside their own transaction), workers of any number of cores
// claim due rows exactly once (FOR UPDATE SKIP LOCKED plus a lease) and record how each attempt went.
import type postgres from "postgres";
import { type SecretBox, createSecretBox } from "../mfa/secret-box.ts";
import type { Queryable } from "./smtp-settings.ts";

/** Bodies stored as given: tests, and callers on a core without DEFGUARD_SECRET_KEY. */
const NO_KEY = createSecretBox(undefined);
import type { OutgoingMail } from "./transport.ts";

export const MAIL_STATES = ["pending", "sending", "sent", "failed"] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** What a template makes and which template made it; `kind` shows in the admin's outbox list. */
export interface NewMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  kind: string;
}

/** A claimed row, ready to send; `attempts` already counts this attempt. */
export interface ClaimedMail extends OutgoingMail {
  kind: string;
  attempts: number;
}

/** One row of the admin's list: everything but the bodies. */
export interface OutboxEntry {
  id: number;
  to: string;
  subject: string;
  kind: string;
  state: MailState;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  next_attempt_at: Date | null;
}

/** Default and largest page of listOutbox. */
export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/** What a body is sealed for (secret-box.ts): its recipient, so that a sealed body moved to another row does not open. */
const bodyPlace = (recipient: string) => `mail_outbox:${recipient}`;

/**
 * Queues a mail; returns its id. Pass a flow's transaction to make the mail part of it (rolled back with
 * it). It goes out on the next worker pass: call the worker's wakeUp() after the commit for "at once".
 * `secrets` (DEFGUARD_SECRET_KEY) seals the bodies while they wait; without a key they are stored as given.
 */
export async function enqueueMail(sql: Queryable, mail: NewMail, secrets: SecretBox = NO_KEY): Promise<number> {
  const rows = await mailInsert(sql, mail, { secrets });
  return rows[0]!.id;
}

/**
 * The INSERT enqueueMail runs, unsent, queuing `mail` only when `condition` (SQL) holds: to run alone, or
 * as a CTE of a flow's own statement, e.g. queued only when the statement's UPDATE changed a row. The
 * bodies are sealed with `secrets`, as enqueueMail's.
 */
export function mailInsert(db: Queryable, mail: NewMail, options: { secrets: SecretBox; condition?: postgres.Fragment }) {
  const seal = (body: string) => options.secrets.seal(body, bodyPlace(mail.to));
  return db<{ id: number }[]>`
    INSERT INTO mail_outbox (recipient, subject, text, html, kind)
    SELECT ${mail.to}, ${mail.subject}, ${seal(mail.text)}, ${seal(mail.html)}, ${mail.kind} WHERE ${options.condition ?? db`true`}
    RETURNING id`;
}

/** `mail` with its bodies opened (as claimNextMail read them sealed); throws INTERNAL when they cannot be. */
export function openedMail<M extends { to: string; text: string; html: string }>(mail: M, secrets: SecretBox): M {
  return { ...mail, text: secrets.open(mail.text, bodyPlace(mail.to)), html: secrets.open(mail.html, bodyPlace(mail.to)) };
}

/**
 * Claims the oldest due mail for `workerId` until now + leaseMs, or returns undefined when none is due.
 * Due: pending with next_attempt_at passed, or sending with an expired lease (its core died). Rows
 * another worker is claiming right now are skipped, never waited for, never taken twice.
 */
export async function claimNextMail(sql: Queryable, workerId: string, leaseMs: number): Promise<ClaimedMail | undefined> {
  const rows = await sql<{ id: number; recipient: string; subject: string; text: string; html: string; kind: string; attempts: number; created_at: Date }[]>`
    UPDATE mail_outbox
       SET state = 'sending', attempts = attempts + 1, claimed_by = ${workerId},
           claimed_until = now() + ${leaseMs}::float8 * interval '1 millisecond'
     WHERE id = (
       SELECT id FROM mail_outbox
        WHERE (state = 'pending' AND next_attempt_at <= now())
           OR (state = 'sending' AND claimed_until < now())
        ORDER BY next_attempt_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING id, recipient, subject, text, html, kind, attempts, created_at`;
  const row = rows[0];
  if (!row) return undefined;
  return { id: row.id, to: row.recipient, subject: row.subject, text: row.text, html: row.html, kind: row.kind, attempts: row.attempts, createdAt: row.created_at };
}

/** Records a successful send and blanks the bodies; false when this worker no longer held the claim. */
export async function markSent(sql: Queryable, id: number, workerId: string): Promise<boolean> {
  const rows = await sql`
    UPDATE mail_outbox
       SET state = 'sent', sent_at = now(), text = '', html = '', claimed_by = NULL, claimed_until = NULL
     WHERE id = ${id} AND claimed_by = ${workerId} AND state = 'sending'
    RETURNING id`;
  return rows.length === 1;
}

/** Records a failed attempt and when to try again; false when this worker no longer held the claim. */
export async function markRetry(sql: Queryable, id: number, workerId: string, error: string, delayMs: number): Promise<boolean> {
  const rows = await sql`
    UPDATE mail_outbox
       SET state = 'pending', last_error = ${error}, claimed_by = NULL, claimed_until = NULL,
           next_attempt_at = now() + ${delayMs}::float8 * interval '1 millisecond'
     WHERE id = ${id} AND claimed_by = ${workerId} AND state = 'sending'
    RETURNING id`;
  return rows.length === 1;
}

/** Gives a mail up for good and blanks its bodies; false when this worker no longer held the claim. */
export async function markFailed(sql: Queryable, id: number, workerId: string, error: string): Promise<boolean> {
  const rows = await sql`
    UPDATE mail_outbox
       SET state = 'failed', last_error = ${error}, text = '', html = '', claimed_by = NULL, claimed_until = NULL
     WHERE id = ${id} AND claimed_by = ${workerId} AND state = 'sending'
    RETURNING id`;
  return rows.length === 1;
}

/** Milliseconds until the next mail becomes due (0 when one is due now), or undefined when none waits. */
export async function nextDueInMs(sql: Queryable): Promise<number | undefined> {
  const rows = await sql<{ due_in_ms: number | null }[]>`
    SELECT CEIL(EXTRACT(EPOCH FROM (
             MIN(CASE WHEN state = 'pending' THEN next_attempt_at ELSE claimed_until END) - now())) * 1000)::float8 AS due_in_ms
      FROM mail_outbox
     WHERE state IN ('pending', 'sending')`;
  const due = rows[0]?.due_in_ms;
  // NULL when nothing waits (and not GREATEST(0, NULL), which PostgreSQL makes 0).
  return due === null || due === undefined ? undefined : Math.max(0, due);
}

export interface ListOutboxOptions {
  /** 1..MAX_LIST_LIMIT, default DEFAULT_LIST_LIMIT. */
  limit?: number;
  state?: MailState;
}

/** The newest mails first, without their bodies, for the admin API. */
export async function listOutbox(sql: Queryable, options: ListOutboxOptions = {}): Promise<OutboxEntry[]> {
  const limit = Math.min(Math.max(1, Math.trunc(options.limit ?? DEFAULT_LIST_LIMIT)), MAX_LIST_LIMIT);
  const state = options.state ?? null;
  return sql<OutboxEntry[]>`
    SELECT id, recipient AS "to", subject, kind, state, attempts, last_error, created_at, sent_at,
           CASE WHEN state = 'pending' THEN next_attempt_at END AS next_attempt_at
      FROM mail_outbox
     WHERE ${state}::text IS NULL OR state = ${state}
     ORDER BY created_at DESC, id DESC
     LIMIT ${limit}`;
}

/**
 * Makes a pending mail due now (the worker still has to be woken); answers the state the mail is in, or
 * undefined when there is none with this id. Sent and failed mails have no body left to send again.
 */
export async function retryNow(sql: Queryable, id: number): Promise<MailState | undefined> {
  const [row] = await sql<{ state: MailState }[]>`
    WITH target AS (SELECT id, state FROM mail_outbox WHERE id = ${id}),
         due AS (UPDATE mail_outbox m SET next_attempt_at = now() FROM target t WHERE m.id = t.id AND t.state = 'pending' RETURNING m.id)
    SELECT state FROM target`;
  return row?.state;
}
