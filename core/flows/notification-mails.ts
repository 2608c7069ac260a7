// The mails the flows send, queued in the outbox (core/mail): the enrollment invitation of the admin API,
// the welcome and "new device" notices the enrollment steps queue in their own transaction, and the helper
// the other flows queue theirs with. A mail queued inside a flow's transaction goes out only if that
// transaction commits.
import type postgres from "postgres";
import type { Logger } from "../../shared/logger.ts";
import { invalidArgument } from "../../shared/errors.ts";
import type { CoreConfig } from "../config.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { secretBoxOf } from "../mfa/secret-box.ts";
import { mergeSmtpSettings, smtpConfigured } from "../mail/smtp-settings.ts";
import * as templates from "../mail/templates.tsx";
import type { Queryable } from "../store/queryable.ts";
import type { SettingsRow } from "../store/settings.ts";
import type { StartedEnrollment } from "../users/start-enrollment.ts";
import type { EnrollmentNotices } from "./enrollment/notices.ts";

/** What queues mail: the database, the config, and (when running) the outbox worker to wake. */
export interface MailDeps {
  sql: postgres.Sql;
  config: CoreConfig;
  log: Logger;
  /** Told after a commit that queued mail, so that it goes out now rather than at the next poll. */
  mailWorker?: { wakeUp(): void };
}

/** settings.instance_name: how every mail names this instance. */
export async function instanceName(q: Queryable): Promise<string> {
  const [row] = await q<{ instance_name: string }[]>`SELECT instance_name FROM settings WHERE id = 1`;
  return row?.instance_name ?? "Defguard";
}

/**
 * Queues `content` for `to` on `q` (a transaction, or the client), its bodies sealed under
 * `config.secretKey` (DEFGUARD_SECRET_KEY) while they wait. Call `wake` after the commit.
 */
export async function queueMail(q: Queryable, to: string, content: templates.MailContent, config: { secretKey?: string }): Promise<void> {
  await enqueueMail(q, { to, ...content }, secretBoxOf(config));
}

/** Wakes the worker if there is one; mail queued without it goes out at the worker's next poll. */
export function wakeMailWorker(deps: Pick<MailDeps, "mailWorker">): void {
  deps.mailWorker?.wakeUp();
}

/**
 * The admin API's `sendEnrollmentNotification`: queues the enrollment invitation (start_enrollment) or
 * the desktop setup mail (start_desktop). Throws INVALID_ARGUMENT when SMTP is not configured, before
 * the admin believes a mail is on its way.
 */
export function createEnrollmentNotifier(deps: MailDeps): (started: StartedEnrollment) => Promise<void> {
  return async function sendEnrollmentNotification(started) {
    if (!(await smtpConfigured(deps.sql, deps.config))) {
      throw invalidArgument("send_enrollment_notification: mail is not configured on this core");
    }
    const params = {
      instanceName: await instanceName(deps.sql),
      firstName: started.user.first_name,
      enrollmentUrl: deps.config.enrollmentUrl,
      token: started.token,
      validForS: deps.config.timeouts.enrollmentTokenS,
    };
    const content = started.kind === "desktop" ? templates.desktopSetup(params) : templates.enrollmentInvitation(params);
    await queueMail(deps.sql, started.email, content, deps.config);
    wakeMailWorker(deps);
    deps.log.info(`Queued the ${content.kind} mail of user ${started.user.username}`);
  };
}

/**
 * The enrollment steps' notices (welcome, new device), for the steps to queue in their own transaction.
 * While SMTP is not configured there are none, rather than mail left in the outbox to arrive, stale,
 * whenever mail is set up.
 */
export function createEnrollmentNotices(deps: MailDeps): EnrollmentNotices {
  const mailable = (settings: SettingsRow) => mergeSmtpSettings(deps.config.smtp, settings) !== null;
  return {
    welcome(user, settings) {
      if (!mailable(settings)) return undefined;
      const content = templates.welcome({ user, settings, defguardUrl: deps.config.url });
      return { to: user.email, ...content };
    },
    deviceAdded(user, device, deviceInfo, settings) {
      if (!mailable(settings)) return undefined;
      const content = templates.newDevice({
        instanceName: settings.instance_name,
        firstName: user.first_name,
        deviceName: device.name,
        publicKey: device.pubkey,
        addedAt: new Date(),
        ...(deviceInfo?.ip_address ? { ipAddress: deviceInfo.ip_address } : {}),
      });
      return { to: user.email, ...content };
    },
    queued: () => wakeMailWorker(deps),
  };
}
