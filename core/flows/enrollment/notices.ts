// The mails an enrollment step sends its user (welcome, new device), made by the mail module and queued
// by the step inside its own transaction: a step that commits has its mail in the outbox, one that rolls
// back has none, and no crash of the Core can fall between the two.
import type { DeviceInfo__Output } from "../../../proto/generated/defguard/proxy/DeviceInfo.ts";
import type { NewMail } from "../../mail/outbox.ts";
import type { SettingsRow, WelcomeMailTexts } from "../../store/settings.ts";

/** Whom a notice goes to, and how it greets them. */
export interface NoticeRecipient {
  username: string;
  email: string;
  first_name: string;
}

export interface EnrollmentNotices {
  /**
   * The welcome mail once the account is active, as the admin wrote it (its texts fill in the user's
   * names); undefined when no mail can be sent (no SMTP).
   */
  welcome(user: NoticeRecipient & { last_name: string }, settings: SettingsRow & WelcomeMailTexts): NewMail | undefined;
  /** The "new device" mail; undefined when no mail can be sent. */
  deviceAdded(user: NoticeRecipient, device: { name: string; pubkey: string }, deviceInfo: DeviceInfo__Output | undefined, settings: SettingsRow): NewMail | undefined;
  /** Told after the commit of a step that queued a notice, so that it goes out now, not at the next poll. */
  queued(): void;
}
