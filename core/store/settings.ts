// The Core's settings: one row (id 1), created by the first migration.
import type { SmtpSettingsRow } from "../mail/smtp-settings.ts";
import type { Queryable } from "./queryable.ts";

/** The welcome mail's own texts; a flow reads them only where it queues the mail (welcomeMailColumns). */
export interface WelcomeMailTexts {
  /** The subject, placeholders filled in; mails put the instance's name before it. */
  enrollment_welcome_email_subject: string;
  /** The body, Markdown with the placeholders; unused while the flag below is on. */
  enrollment_welcome_email: string;
  /** The mail says the enrollment page's welcome message instead of its own body. */
  enrollment_use_welcome_message_as_email: boolean;
}

export interface Settings extends WelcomeMailTexts {
  instance_name: string;
  instance_id: string;
  /** Markdown; `{first_name}`, `{last_name}` and `{username}` are filled in for each user (core/welcome-text.ts). */
  enrollment_welcome_message: string;
  enrollment_vpn_step_optional: boolean;
  enrollment_mfa_required: boolean;
  admin_device_management: boolean;
  only_client_activation: boolean;
  /** Devices a user may add through enrollment (not counting what admins add). */
  max_devices_per_user: number;
}

/** The longest subject and Markdown text the admin API takes (and the settings page lets one type). */
export const WELCOME_SUBJECT_MAX_CHARS = 200;
export const MARKDOWN_MAX_CHARS = 10_000;

/** The columns an admin may change; `instance_id` is fixed at installation. */
export type SettingsPatch = Partial<Omit<Settings, "instance_id">>;

export async function getSettings(q: Queryable): Promise<Settings> {
  const [row] = await q<Settings[]>`
    SELECT instance_name, instance_id, enrollment_welcome_message, enrollment_welcome_email_subject, enrollment_welcome_email,
           enrollment_use_welcome_message_as_email, enrollment_vpn_step_optional, enrollment_mfa_required,
           admin_device_management, only_client_activation, max_devices_per_user
    FROM settings WHERE id = 1`;
  return row!;
}

/** Writes the given fields (undefined ones are left alone) and returns the settings as they now are. */
export async function updateSettings(q: Queryable, patch: SettingsPatch): Promise<Settings> {
  const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(fields).length > 0) await q`UPDATE settings SET ${q(fields)} WHERE id = 1`;
  return getSettings(q);
}

/** What the welcome mail is made from (mail/templates.tsx `welcome`). */
export type WelcomeMailSettings = Pick<Settings, "instance_name" | "enrollment_welcome_message"> & WelcomeMailTexts;

/** The columns of WelcomeMailTexts, for the one query that queues the mail (beside settingsColumns). */
export function welcomeMailColumns(q: Queryable) {
  return q`s.enrollment_welcome_email_subject, s.enrollment_welcome_email, s.enrollment_use_welcome_message_as_email`;
}

/**
 * The whole row as a request of the link uses it: the settings above but the welcome mail's texts, and
 * the SMTP overrides. A flow reads it once, with the rows it reads anyway, and passes it to whatever else
 * needs a setting (the page, the instance info, the notices it mails) instead of each of them reading it
 * again.
 */
export type SettingsRow = Omit<Settings, keyof WelcomeMailTexts> & SmtpSettingsRow;

/** The columns of SettingsRow, for a query that joins `settings s` (`s.id = 1`) beside its own rows. */
export function settingsColumns(q: Queryable) {
  return q`
    s.instance_name, s.instance_id::text AS instance_id, s.enrollment_welcome_message, s.enrollment_vpn_step_optional,
    s.enrollment_mfa_required, s.admin_device_management, s.only_client_activation, s.max_devices_per_user,
    s.smtp_host, s.smtp_port, s.smtp_user, s.smtp_password, s.smtp_sender, s.smtp_encryption`;
}

/** The settings row on its own, for callers that have no other query to join it to. */
export async function getSettingsRow(q: Queryable): Promise<SettingsRow> {
  const [row] = await q<SettingsRow[]>`SELECT ${settingsColumns(q)} FROM settings s WHERE s.id = 1`;
  return row!;
}
