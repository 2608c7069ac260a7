// Hands one mail to the SMTP server (nodemailer), with the encryption the settings ask for and bounded
// waits, and tells a failure worth retrying from one that is not.
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import type { SmtpSettings } from "./smtp-settings.ts";

/** Longest wait for the TCP/TLS connection, the server's greeting, and any one reply, each. */
export const DEFAULT_SMTP_TIMEOUT_MS = 20_000;
/** last_error keeps at most this much of an error message. */
const MAX_ERROR_LENGTH = 500;

/** Extra trust for the SMTP server's certificate: a private CA (PEM). Verification is never turned off. */
export interface SmtpTlsOptions {
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface OutgoingMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: Date;
}

/** nodemailer's options for these settings (pure): `tls` = implicit TLS, `starttls` = required upgrade. */
export function transportOptions(settings: SmtpSettings, tls: SmtpTlsOptions = {}, timeoutMs = DEFAULT_SMTP_TIMEOUT_MS): SMTPTransport.Options {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.encryption === "tls",
    requireTLS: settings.encryption === "starttls",
    ignoreTLS: settings.encryption === "none",
    auth: settings.user !== undefined && settings.password !== undefined ? { user: settings.user, pass: settings.password } : undefined,
    tls: { ...(tls.ca !== undefined ? { ca: tls.ca } : {}), rejectUnauthorized: true, minVersion: "TLSv1.2" },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    logger: false,
    debug: false,
  };
}

/** The domain part of the sender, for Message-IDs; `localhost` when it has none. */
export function senderDomain(sender: string): string {
  const address = /<([^>]*)>/.exec(sender)?.[1] ?? sender;
  const at = address.lastIndexOf("@");
  const domain = at >= 0 ? address.slice(at + 1).trim() : "";
  return /^[A-Za-z0-9.-]+$/.test(domain) ? domain : "localhost";
}

/**
 * The same Message-ID on every attempt of one outbox row, so a mail sent twice (a core that died between
 * the server's OK and recording it) shows once in mail clients that thread by it.
 */
export function messageIdFor(mail: Pick<OutgoingMail, "id" | "createdAt">, sender: string): string {
  return `<defguard-outbox-${mail.id}-${mail.createdAt.getTime()}@${senderDomain(sender)}>`;
}

/**
 * nodemailer, loaded on the first mail sent: it adds ~19 MB to a process, which a Core that never
 * sends mail (no SMTP configured) does not carry.
 */
let nodemailerModule: Promise<typeof import("nodemailer")> | undefined;

/** Sends one mail; resolves with the server's answer, rejects with nodemailer's error. */
export async function sendMail(settings: SmtpSettings, mail: OutgoingMail, tls?: SmtpTlsOptions, timeoutMs?: number): Promise<string> {
  const nodemailer = (await (nodemailerModule ??= import("nodemailer"))).default;
  const transporter = nodemailer.createTransport(transportOptions(settings, tls, timeoutMs));
  try {
    const info = await transporter.sendMail({
      from: settings.sender,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: messageIdFor(mail, settings.sender),
    });
    return info.response;
  } finally {
    transporter.close();
  }
}

interface SmtpErrorFields {
  code?: string;
  responseCode?: number;
  command?: string;
}

/** 5xx replies that mean "authenticate first" or "bad credentials": the settings can be fixed, so retry. */
const AUTH_REPLY_CODES = new Set([530, 534, 535, 538]);

/**
 * A failure that no retry can fix: the server refused this recipient (RCPT TO) or this message (DATA)
 * with a 5xx reply. Connection, TLS, authentication and sender (MAIL FROM) failures are retried: the
 * server, or its settings, may be fixed in the meantime.
 */
export function isPermanentFailure(err: unknown): boolean {
  const { code, responseCode, command } = (err ?? {}) as SmtpErrorFields;
  if (typeof responseCode !== "number" || responseCode < 500 || responseCode >= 600 || AUTH_REPLY_CODES.has(responseCode)) return false;
  return command === "RCPT TO" || code === "EMESSAGE";
}

/** A one-line description for last_error and the log: nodemailer's code and message, shortened. */
export function describeSendError(err: unknown): string {
  const { code } = (err ?? {}) as SmtpErrorFields;
  const message = err instanceof Error ? err.message : String(err);
  const line = `${code ? `${code}: ` : ""}${message}`.replace(/\s+/g, " ").trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
