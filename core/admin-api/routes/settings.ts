// The Core's settings.
import { Hono } from "hono";
import { z } from "zod";
import { hasControlCharacters } from "../../mail/subject-line.ts";
import { MARKDOWN_MAX_CHARS, WELCOME_SUBJECT_MAX_CHARS, getSettings, updateSettings } from "../../store/settings.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

const flag = z.boolean({ error: "expected true or false" }).optional();
const markdown = z.string({ error: "expected a string" }).max(MARKDOWN_MAX_CHARS, `expected at most ${MARKDOWN_MAX_CHARS} characters`);

/** Every field optional; unknown fields (including instance_id, fixed at installation) are ignored. */
export const settingsPatchSchema = z.object({
  instance_name: z.string({ error: "expected a string" }).trim().min(1, "must not be empty").max(64, "expected at most 64 characters").optional(),
  enrollment_welcome_message: markdown.optional(),
  enrollment_welcome_email_subject: z
    .string({ error: "expected a string" })
    .trim()
    .min(1, "must not be empty")
    .max(WELCOME_SUBJECT_MAX_CHARS, `expected at most ${WELCOME_SUBJECT_MAX_CHARS} characters`)
    .refine((subject) => !hasControlCharacters(subject), "expected one line without control characters")
    .optional(),
  enrollment_welcome_email: markdown.refine((body) => body.trim() !== "", "must not be empty").optional(),
  enrollment_use_welcome_message_as_email: flag,
  enrollment_vpn_step_optional: flag,
  enrollment_mfa_required: flag,
  admin_device_management: flag,
  only_client_activation: flag,
  max_devices_per_user: z.number({ error: "expected a whole number from 1 to 1000" }).int("expected a whole number from 1 to 1000").min(1, "expected a whole number from 1 to 1000").max(1000, "expected a whole number from 1 to 1000").optional(),
});

export function settingsRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/settings", async (c) => c.json(await getSettings(deps.sql)));

  app.patch("/settings", async (c) => {
    // The Markdown texts may be longer than the 4096 characters every other string is held to.
    const settings = await updateSettings(deps.sql, await readBody(c, settingsPatchSchema, MARKDOWN_MAX_CHARS));
    deps.log.info(`Admin ${c.get("session").username} changed the settings`);
    return c.json(settings);
  });

  return app;
}
