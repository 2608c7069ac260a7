// The mails the Core sends, each as plain text and HTML, made by pure functions. A mail carries no secret
// but the one it exists to deliver (an enrollment or reset link, a code); HTML values are escaped.
import type { WelcomeMailSettings } from "../store/settings.ts";
import { type WelcomeTextUser, fillWelcomeText, welcomeMailHtml } from "../welcome-text.ts";
import { Button, Code, LinkText, MailLayout, Mono, formatDuration, formatTime, renderHtml } from "./mail-layout.tsx";
import { subjectLine } from "./subject-line.ts";

export const MAIL_KINDS = [
  "enrollment_invitation",
  "desktop_setup",
  "welcome",
  "new_device",
  "password_reset",
  "password_changed",
  "mfa_code",
  "mfa_activation",
  "mfa_guessing",
  "test_mail",
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** A template's output; add `to` and pass it to enqueueMail. */
export interface MailContent {
  kind: MailKind;
  subject: string;
  text: string;
  html: string;
}

interface Recipient {
  /** settings.instance_name, e.g. "Defguard". */
  instanceName: string;
  firstName: string;
}

/** DEFGUARD_ENROLLMENT_URL with `?token=` (Defguard's enrollment link). */
export function enrollmentLink(enrollmentUrl: string, token: string): string {
  const url = new URL(enrollmentUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

/** DEFGUARD_ENROLLMENT_URL + `/password-reset?token=`. */
export function passwordResetLink(enrollmentUrl: string, token: string): string {
  const base = new URL(enrollmentUrl);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  const url = new URL("password-reset", base);
  url.searchParams.set("token", token);
  return url.toString();
}

const textFooter = (instanceName: string) => `\n\n--\nThis message was sent by ${instanceName} (Defguard). Please do not reply to it.\n`;

function mail(kind: MailKind, instanceName: string, title: string, text: string, html: string): MailContent {
  return { kind, subject: subjectLine(instanceName, title), text: text + textFooter(instanceName), html };
}

export function enrollmentInvitation(p: Recipient & { enrollmentUrl: string; token: string; validForS: number }): MailContent {
  const link = enrollmentLink(p.enrollmentUrl, p.token);
  const title = "Set up your VPN access";
  const valid = formatDuration(p.validForS);
  const text = `Hello ${p.firstName},\n\nYou are invited to ${p.instanceName}. Open this link to choose your password and add your device:\n\n${link}\n\nThe link is valid for ${valid} and works once. If you did not expect this message, ignore it.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>You are invited to {p.instanceName}. Open this link to choose your password and add your device.</p>
      <Button href={link} label="Start enrollment" />
      <p>The link is valid for {valid} and works once. If you did not expect this message, ignore it.</p>
      <LinkText href={link} />
    </MailLayout>,
  );
  return mail("enrollment_invitation", p.instanceName, title, text, html);
}

/** `start_desktop`: the instance URL and the token, to enter in the Defguard desktop client. */
export function desktopSetup(p: Recipient & { enrollmentUrl: string; token: string; validForS: number }): MailContent {
  const link = enrollmentLink(p.enrollmentUrl, p.token);
  const title = "Add a device with the Defguard client";
  const valid = formatDuration(p.validForS);
  const text = `Hello ${p.firstName},\n\nTo connect a computer to ${p.instanceName}, open the Defguard client, choose "Add instance" and enter:\n\nURL: ${p.enrollmentUrl}\nToken: ${p.token}\n\nor open ${link}\n\nThe token is valid for ${valid} and works once. If you did not ask for this, tell your administrator.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>To connect a computer to {p.instanceName}, open the Defguard client, choose "Add instance" and enter:</p>
      <ul>
        <li>URL: <Mono>{p.enrollmentUrl}</Mono></li>
        <li>Token: <Mono>{p.token}</Mono></li>
      </ul>
      <p>The token is valid for {valid} and works once. If you did not ask for this, tell your administrator.</p>
      <LinkText href={link} />
    </MailLayout>,
  );
  return mail("desktop_setup", p.instanceName, title, text, html);
}

/**
 * The welcome mail, as the admin wrote it (settings): their subject, and their Markdown body or, with
 * `enrollment_use_welcome_message_as_email`, the enrollment page's welcome message; then a button to
 * `defguardUrl`. The user's names fill the placeholders: as they are in the subject and the text part (the
 * Markdown itself), escaped in the HTML (welcomeMailHtml), which carries no HTML of the author's.
 */
export function welcome(p: { user: WelcomeTextUser; settings: WelcomeMailSettings; defguardUrl: string }): MailContent {
  const s = p.settings;
  const body = s.enrollment_use_welcome_message_as_email ? s.enrollment_welcome_message : s.enrollment_welcome_email;
  const title = fillWelcomeText(s.enrollment_welcome_email_subject, p.user);
  const text = `${fillWelcomeText(body, p.user)}\n\nSign in at ${p.defguardUrl}`;
  const bodyHtml = welcomeMailHtml(body, p.user);
  const html = renderHtml(
    <MailLayout title={title} instanceName={s.instance_name}>
      {/* welcomeMailHtml's output: no markup of the admin's, no user's name unescaped */}
      <div dangerouslySetInnerHTML={{ __html: bodyHtml }} />
      <Button href={p.defguardUrl} label={`Open ${s.instance_name}`} />
    </MailLayout>,
  );
  return mail("welcome", s.instance_name, title, text, html);
}

export function newDevice(p: Recipient & { deviceName: string; publicKey: string; addedAt: Date; ipAddress?: string }): MailContent {
  const title = "A new device was added to your account";
  const when = formatTime(p.addedAt);
  const from = p.ipAddress ? ` from ${p.ipAddress}` : "";
  const text = `Hello ${p.firstName},\n\nThe device "${p.deviceName}" was added to your account on ${when}${from}.\nIts public key: ${p.publicKey}\n\nIf this was not you, tell your administrator at once.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>A device was added to your account:</p>
      <ul>
        <li>Name: <strong>{p.deviceName}</strong></li>
        <li>Public key: <Mono>{p.publicKey}</Mono></li>
        <li>When: {when}</li>
        {p.ipAddress ? <li>From: {p.ipAddress}</li> : null}
      </ul>
      <p>If this was not you, tell your administrator at once.</p>
    </MailLayout>,
  );
  return mail("new_device", p.instanceName, title, text, html);
}

/** The settings page's "send a test mail": says who sent it and through which server. */
export function testMail(p: Recipient & { smtp: string; sentBy: string }): MailContent {
  const title = "Test mail";
  const text = `Hello ${p.firstName},\n\nThis is a test mail that ${p.sentBy} sent from the settings of ${p.instanceName} through ${p.smtp}. If you read it, ${p.instanceName} can send mail.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>
        This is a test mail that {p.sentBy} sent from the settings of {p.instanceName} through <Mono>{p.smtp}</Mono>. If you read it,{" "}
        {p.instanceName} can send mail.
      </p>
    </MailLayout>,
  );
  return mail("test_mail", p.instanceName, title, text, html);
}

export function passwordReset(p: Recipient & { enrollmentUrl: string; token: string; validForS: number }): MailContent {
  const link = passwordResetLink(p.enrollmentUrl, p.token);
  const title = "Reset your password";
  const valid = formatDuration(p.validForS);
  const text = `Hello ${p.firstName},\n\nSomeone asked to reset the password of your ${p.instanceName} account. To choose a new password, open:\n\n${link}\n\nThe link is valid for ${valid} and works once. If you did not ask for this, ignore this message: your password stays as it is.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>Someone asked to reset the password of your {p.instanceName} account.</p>
      <Button href={link} label="Choose a new password" />
      <p>The link is valid for {valid} and works once. If you did not ask for this, ignore this message: your password stays as it is.</p>
      <LinkText href={link} />
    </MailLayout>,
  );
  return mail("password_reset", p.instanceName, title, text, html);
}

export function passwordChanged(p: Recipient & { changedAt: Date; ipAddress?: string }): MailContent {
  const title = "Your password was changed";
  const when = formatTime(p.changedAt);
  const from = p.ipAddress ? ` from ${p.ipAddress}` : "";
  const text = `Hello ${p.firstName},\n\nThe password of your ${p.instanceName} account was changed on ${when}${from}.\n\nIf this was not you, tell your administrator at once.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>
        The password of your {p.instanceName} account was changed on {when}
        {from}.
      </p>
      <p>If this was not you, tell your administrator at once.</p>
    </MailLayout>,
  );
  return mail("password_changed", p.instanceName, title, text, html);
}

function codeMail(kind: "mfa_code" | "mfa_activation", title: string, purpose: string, p: Recipient & { code: string; validForS: number }): MailContent {
  const valid = formatDuration(p.validForS);
  const text = `Hello ${p.firstName},\n\n${purpose}\n\n    ${p.code}\n\nThe code is valid for ${valid}. Never share it; if you did not ask for it, tell your administrator.`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>{purpose}</p>
      <Code code={p.code} />
      <p>The code is valid for {valid}. Never share it; if you did not ask for it, tell your administrator.</p>
    </MailLayout>,
  );
  return mail(kind, p.instanceName, title, text, html);
}

/** The code that lets the desktop client connect to an MFA-protected location. */
export function mfaCode(p: Recipient & { code: string; validForS: number }): MailContent {
  return codeMail("mfa_code", "Your VPN sign-in code", "Enter this code in the Defguard client to connect:", p);
}

/** The code that proves the address while email MFA is being set up. */
export function mfaActivation(p: Recipient & { code: string; validForS: number }): MailContent {
  return codeMail("mfa_activation", "Confirm email sign-in codes", "Enter this code to turn on sign-in codes by email:", p);
}

/**
 * Once per episode (core/mfa/code-throttle.ts): wrong codes for the user's VPN sign-in are being sent, and
 * further tries now wait. Names the device and the location, never a code.
 */
export function mfaGuessing(p: Recipient & { deviceName: string; locationName: string; failures: number; at: Date; ipAddress?: string }): MailContent {
  const title = "Someone is trying to guess your VPN sign-in codes";
  const when = formatTime(p.at);
  const from = p.ipAddress ? ` from ${p.ipAddress}` : "";
  const advice =
    "Every code was refused, and further tries now have to wait longer and longer (up to an hour each), which also delays your own sign-in for a while. If this was not you, tell your administrator: someone knows your device's public key.";
  const text = `Hello ${p.firstName},\n\n${p.failures} wrong sign-in codes were sent for your device "${p.deviceName}" in the location "${p.locationName}", the last on ${when}${from}.\n\n${advice}`;
  const html = renderHtml(
    <MailLayout title={title} instanceName={p.instanceName}>
      <p>Hello {p.firstName},</p>
      <p>Wrong sign-in codes were sent for your device:</p>
      <ul>
        <li>Device: <strong>{p.deviceName}</strong></li>
        <li>Location: <strong>{p.locationName}</strong></li>
        <li>Wrong codes: {String(p.failures)}</li>
        <li>Last: {when}</li>
        {p.ipAddress ? <li>From: {p.ipAddress}</li> : null}
      </ul>
      <p>{advice}</p>
    </MailLayout>,
  );
  return mail("mfa_guessing", p.instanceName, title, text, html);
}
