// The Core's settings: one row (id 1), created by the first migration.
import type { SmtpSettingsRow } from "../mail/smtp-settings.ts";
import type { Queryable } from "./queryable.ts";

export interface Settings {
  instance_name: string;
  instance_id: string;
  /** Markdown; `{first_name}` and `{last_name}` are filled in for each user. */
  enrollment_welcome_message: string;
  enrollment_vpn_step_optional: boolean;
  enrollment_mfa_required: boolean;
  admin_device_management: boolean;
  only_client_activation: boolean;
  /** Devices a user may add through enrollment (not counting what admins add). */
  max_devices_per_user: number;
}

/** The columns an admin may change; `instance_id` is fixed at installation. */
export type SettingsPatch = Partial<Omit<Settings, "instance_id">>;

export async function getSettings(q: Queryable): Promise<Settings> {
  const [row] = await q<Settings[]>`
    SELECT instance_name, instance_id, enrollment_welcome_message, enrollment_vpn_step_optional,
           enrollment_mfa_required, admin_device_management, only_client_activation, max_devices_per_user
    FROM settings WHERE id = 1`;
  return row!;
}

/** Writes the given fields (undefined ones are left alone) and returns the settings as they now are. */
export async function updateSettings(q: Queryable, patch: SettingsPatch): Promise<Settings> {
  const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (Object.keys(fields).length > 0) await q`UPDATE settings SET ${q(fields)} WHERE id = 1`;
  return getSettings(q);
}

/**
 * The whole row as a request of the link uses it: the settings above and the SMTP overrides. A flow reads
 * it once, with the rows it reads anyway, and passes it to whatever else needs a setting (the page, the
 * instance info, the notices it mails) instead of each of them reading it again.
 */
export type SettingsRow = Settings & SmtpSettingsRow;

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
