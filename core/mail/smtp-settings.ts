// Which SMTP server the Core sends through: the DEFGUARD_SMTP_* environment, each value overridable by the
// smtp_* columns of the settings row (set through the settings API). The password is only ever handed
// to the transport: never logged, never put in an API answer.
import type postgres from "postgres";
import type { CoreConfig } from "../config.ts";

export type SmtpEncryption = "none" | "starttls" | "tls";

export interface SmtpSettings {
  host: string;
  port: number;
  /** Both set: AUTH with them; otherwise no authentication. */
  user: string | undefined;
  password: string | undefined;
  /** The From address of every mail, e.g. `Defguard <vpn@example.com>`. */
  sender: string;
  encryption: SmtpEncryption;
}

/** Port and encryption when neither the environment nor the settings name them (submission, RFC 6409). */
export const DEFAULT_SMTP_PORT = 587;
export const DEFAULT_SMTP_ENCRYPTION: SmtpEncryption = "starttls";

/** The smtp_* columns of `settings`; NULL means "use the environment". */
export interface SmtpSettingsRow {
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_user: string | null;
  smtp_password: string | null;
  smtp_sender: string | null;
  smtp_encryption: SmtpEncryption | null;
}

/** Anything that runs queries: the shared `sql`, or a flow's transaction. */
export type Queryable = postgres.ISql;

const emptyToUndefined = (value: string | null | undefined) => (value === null || value === undefined || value === "" ? undefined : value);

/**
 * Merges the environment with the stored overrides (pure). A stored empty user or password means "no
 * authentication" even when the environment has one. Returns null when no host or no sender is known:
 * mail cannot be sent and the features that need it must say so.
 */
export function mergeSmtpSettings(env: CoreConfig["smtp"], row: SmtpSettingsRow | undefined): SmtpSettings | null {
  const host = emptyToUndefined(row?.smtp_host) ?? env?.host;
  const sender = emptyToUndefined(row?.smtp_sender) ?? emptyToUndefined(env?.sender);
  if (host === undefined || sender === undefined) return null;
  const user = row?.smtp_user !== null && row?.smtp_user !== undefined ? row.smtp_user : env?.user;
  const password = row?.smtp_password !== null && row?.smtp_password !== undefined ? row.smtp_password : env?.password;
  return {
    host,
    port: row?.smtp_port ?? env?.port ?? DEFAULT_SMTP_PORT,
    user: emptyToUndefined(user),
    password: emptyToUndefined(password),
    sender,
    encryption: row?.smtp_encryption ?? env?.encryption ?? DEFAULT_SMTP_ENCRYPTION,
  };
}

/** The SMTP settings in force now (environment merged with the settings row), or null when not configured. */
export async function resolveSmtpSettings(sql: Queryable, config: Pick<CoreConfig, "smtp">): Promise<SmtpSettings | null> {
  const rows = await sql<SmtpSettingsRow[]>`
    SELECT smtp_host, smtp_port, smtp_user, smtp_password, smtp_sender, smtp_encryption FROM settings WHERE id = 1`;
  return mergeSmtpSettings(config.smtp, rows[0]);
}

/** Whether mail can be sent (a host and a sender are known); EnrollmentSettings.smtp_configured says this. */
export async function smtpConfigured(sql: Queryable, config: Pick<CoreConfig, "smtp">): Promise<boolean> {
  return (await resolveSmtpSettings(sql, config)) !== null;
}

/** For logs: `smtp://user@host:port (starttls)`, never the password. */
export function describeSmtp(settings: SmtpSettings): string {
  const user = settings.user ? `${encodeURIComponent(settings.user)}@` : "";
  return `smtp://${user}${settings.host}:${settings.port} (${settings.encryption})`;
}

/** What the settings API may show of the SMTP settings in force: everything but the password. */
export function publicSmtpSettings(settings: SmtpSettings | null): {
  smtp_configured: boolean;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_user: string | null;
  smtp_sender: string | null;
  smtp_encryption: SmtpEncryption | null;
  smtp_password_set: boolean;
} {
  return {
    smtp_configured: settings !== null,
    smtp_host: settings?.host ?? null,
    smtp_port: settings?.port ?? null,
    smtp_user: settings?.user ?? null,
    smtp_sender: settings?.sender ?? null,
    smtp_encryption: settings?.encryption ?? null,
    smtp_password_set: settings?.password !== undefined,
  };
}
