// What the settings page does with mail (given to the admin API as one of its extraRoutes, behind its
// admin guard):
//   POST /mail/test {"to"} → 200 {"to", "smtp", "response"}: one mail sent now, not through the outbox, and
//     the SMTP server's answer; 400 when SMTP is not configured, 502 {"error"} with the server's refusal.
//   POST /mail/outbox/{id}/retry → 200 {"id", "state": "pending"}: a waiting mail goes out at once;
//     400 for a mail sent, being sent, or given up; 404 for none.
import { Hono } from "hono";
import { z } from "zod";
import { invalidArgument, notFound } from "../../shared/errors.ts";
import type { AdminEnv } from "../admin-api/deps.ts";
import { readBody } from "../admin-api/body.ts";
import type { CoreConfig } from "../config.ts";
import { getSettings } from "../store/settings.ts";
import { emailSchema } from "../users/user-schema.ts";
import { retryNow } from "./outbox.ts";
import { describeSmtp, resolveSmtpSettings, type Queryable } from "./smtp-settings.ts";
import { testMail } from "./templates.tsx";
import { describeSendError, sendMail, type SmtpTlsOptions } from "./transport.ts";

export const MAIL_MESSAGES = {
  notConfigured: "SMTP is not configured: set its host and sender in the settings (or DEFGUARD_SMTP_HOST and DEFGUARD_SMTP_SENDER)",
  sent: (id: number) => `mail ${id} was sent already`,
  sending: (id: number) => `mail ${id} is being sent right now`,
  failed: (id: number) => `mail ${id} was given up after its last error and its text discarded: send it again from where it was made`,
} as const;

export interface MailAdminDeps {
  sql: Queryable;
  config: Pick<CoreConfig, "smtp">;
  /** The mail worker's wakeUp(): a mail made due goes out now, not at the next poll. */
  wakeUp: () => void;
  /** A private CA for the SMTP server, as the worker has it. */
  tls?: SmtpTlsOptions;
  smtpTimeoutMs?: number;
}

const testMailSchema = z.object({ to: emailSchema });

export function mailAdminRoutes(deps: MailAdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.post("/mail/test", async (c) => {
    const { to } = await readBody(c, testMailSchema);
    const smtp = await resolveSmtpSettings(deps.sql, deps.config);
    if (!smtp) throw invalidArgument(MAIL_MESSAGES.notConfigured);
    const session = c.get("session");
    const [settings, [admin]] = await Promise.all([getSettings(deps.sql), deps.sql<{ first_name: string }[]>`SELECT first_name FROM users WHERE id = ${session.userId}`]);
    const content = testMail({ instanceName: settings.instance_name, firstName: admin?.first_name ?? session.username, smtp: describeSmtp(smtp), sentBy: session.username });
    try {
      const response = await sendMail(smtp, { id: 0, to, createdAt: new Date(), ...content }, deps.tls, deps.smtpTimeoutMs);
      return c.json({ to, smtp: describeSmtp(smtp), response });
    } catch (err) {
      return c.json({ error: `${describeSmtp(smtp)} did not take the mail: ${describeSendError(err)}` }, 502);
    }
  });

  app.post("/mail/outbox/:id{[0-9]{1,15}}/retry", async (c) => {
    const id = Number(c.req.param("id"));
    const state = await retryNow(deps.sql, id);
    if (state === undefined) throw notFound(`mail ${id} not found`);
    if (state !== "pending") throw invalidArgument(MAIL_MESSAGES[state](id));
    deps.wakeUp();
    return c.json({ id, state });
  });

  return app;
}
