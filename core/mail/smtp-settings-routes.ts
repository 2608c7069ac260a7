// The SMTP server the Core sends through, as the settings page shows and changes it (behind the admin
// guard, given as one of the admin API's extraRoutes):
//   GET   /settings/smtp → 200 the settings in force (environment merged with the stored overrides), never
//         the password (`smtp_password_set` says whether one is in force)
//   PATCH /settings/smtp {smtp_host, smtp_port, smtp_user, smtp_password, smtp_sender, smtp_encryption}
//         → 200 the same; a field given as null drops its override (the environment's value applies again),
//         a field left out stays as it is; 400 naming the field for a bad value.
import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../admin-api/deps.ts";
import { readBody } from "../admin-api/body.ts";
import type { CoreConfig } from "../config.ts";
import { publicSmtpSettings, resolveSmtpSettings, type Queryable } from "./smtp-settings.ts";

const text = (max: number) => z.string({ error: "expected a string or null" }).trim().max(max, `expected at most ${max} characters`).nullable().optional();

export const smtpPatchSchema = z.object({
  smtp_host: text(253),
  smtp_port: z.number({ error: "expected a port number (1-65535) or null" }).int("expected a port number (1-65535) or null").min(1, "expected a port number (1-65535) or null").max(65535, "expected a port number (1-65535) or null").nullable().optional(),
  smtp_user: text(256),
  smtp_password: z.string({ error: "expected a string or null" }).max(256, "expected at most 256 characters").nullable().optional(),
  smtp_sender: text(320),
  smtp_encryption: z.enum(["none", "starttls", "tls"], { error: "expected none, starttls or tls" }).nullable().optional(),
});

export interface SmtpSettingsRoutesDeps {
  sql: Queryable;
  config: Pick<CoreConfig, "smtp">;
  /** Told after a change: mail waiting for a configured server may go now. */
  wakeUp: () => void;
}

export function smtpSettingsRoutes(deps: SmtpSettingsRoutesDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const current = async () => publicSmtpSettings(await resolveSmtpSettings(deps.sql, deps.config));

  app.get("/settings/smtp", async (c) => c.json(await current()));

  app.patch("/settings/smtp", async (c) => {
    const patch = await readBody(c, smtpPatchSchema);
    const fields = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    if (Object.keys(fields).length > 0) await deps.sql`UPDATE settings SET ${deps.sql(fields)} WHERE id = 1`;
    deps.wakeUp();
    return c.json(await current());
  });

  return app;
}
