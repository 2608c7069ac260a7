// GET /mail/outbox (given to the admin API as one of its extraRoutes, so /api/v1/mail/outbox behind its
// admin guard): the outbox, newest first, with each mail's state, attempts and last error, never a body.
import { Hono, type Env } from "hono";
import type { BlankEnv } from "hono/types";
import { z } from "zod";
import { listOutbox, MAIL_STATES, MAX_LIST_LIMIT } from "./outbox.ts";
import type { Queryable } from "./smtp-settings.ts";

export interface OutboxRoutesDeps {
  sql: Queryable;
}

const querySchema = z.object({
  limit: z.coerce
    .number({ error: `expected an integer from 1 to ${MAX_LIST_LIMIT}` })
    .int({ error: `expected an integer from 1 to ${MAX_LIST_LIMIT}` })
    .min(1, { error: `expected an integer from 1 to ${MAX_LIST_LIMIT}` })
    .max(MAX_LIST_LIMIT, { error: `expected an integer from 1 to ${MAX_LIST_LIMIT}` })
    .optional(),
  state: z.enum(MAIL_STATES, { error: `expected one of ${MAIL_STATES.join(", ")}` }).optional(),
});

/** Where the list is, relative to where the router is mounted (the admin API's /api/v1). */
export const OUTBOX_PATH = "/mail/outbox";

/**
 * `GET /mail/outbox?limit=1..1000&state=pending|sending|sent|failed` → 200 `[{id, to, subject, kind, state,
 * attempts, last_error, created_at, sent_at, next_attempt_at}]` (times ISO 8601, null when unset);
 * a bad query → 400 `{"error": "<field>: <what is expected>"}`.
 */
export function outboxRoutes<E extends Env = BlankEnv>(deps: OutboxRoutesDeps): Hono<E> {
  return new Hono<E>().get(OUTBOX_PATH, async (c) => {
    const parsed = querySchema.safeParse({ limit: c.req.query("limit"), state: c.req.query("state") });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return c.json({ error: `${issue?.path.join(".") ?? "query"}: ${issue?.message ?? "invalid"}` }, 400);
    }
    return c.json(await listOutbox(deps.sql, parsed.data));
  });
}
