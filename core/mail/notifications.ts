// The mails the admin API and the enrollment flow ask for, as the hooks they take: the invitation of
// start_enrollment/start_desktop, and after enrollment the welcome and new-device mails. Each is queued
// in the outbox and the worker woken, so an SMTP outage delays mail but loses none.
import { invalidArgument } from "../../shared/errors.ts";
import type { Logger } from "../../shared/logger.ts";
import type { CoreConfig } from "../config.ts";
import type { EnrollmentEvents } from "../flows/enrollment/events.ts";
import type { StartedEnrollment } from "../users/start-enrollment.ts";
import { enqueueMail } from "./outbox.ts";
import { smtpConfigured, type Queryable } from "./smtp-settings.ts";
import { desktopSetup, enrollmentInvitation, newDevice, welcome, type MailContent } from "./templates.tsx";
import type { MailWorker } from "./worker.ts";

export interface MailNotificationsDeps {
  sql: Queryable;
  config: Pick<CoreConfig, "smtp" | "url" | "enrollmentUrl">;
  /** Woken after each enqueue; absent, the mail waits for the next poll of whichever core. */
  worker?: Pick<MailWorker, "wakeUp">;
  log: Logger;
}

export interface MailNotifications {
  /** For AdminAppDeps.sendEnrollmentNotification: throws INVALID_ARGUMENT when mail is not configured. */
  sendEnrollmentNotification(started: StartedEnrollment): Promise<void>;
  /** For EnrollmentDeps.events: welcome after activation, a notice for each new device. */
  enrollmentEvents: EnrollmentEvents;
}

/** Said when the admin asks for an invitation mail that cannot be sent (as the admin API says it). */
export const MAIL_NOT_CONFIGURED = "send_enrollment_notification: mail is not configured on this core";

async function instanceName(sql: Queryable): Promise<string> {
  const rows = await sql<{ instance_name: string }[]>`SELECT instance_name FROM settings WHERE id = 1`;
  return rows[0]?.instance_name ?? "Defguard";
}

export function createMailNotifications(deps: MailNotificationsDeps): MailNotifications {
  const { sql, config, log } = deps;

  const queue = async (to: string, content: MailContent) => {
    const id = await enqueueMail(sql, { to, ...content });
    log.debug("Queued mail", { id, kind: content.kind, to });
    deps.worker?.wakeUp();
  };

  /** Notices nobody asked for are skipped, not queued forever, while SMTP is not configured. */
  const queueIfConfigured = async (to: string, make: (instance: string) => MailContent) => {
    if (!(await smtpConfigured(sql, config))) {
      log.debug("SMTP is not configured: no notification mail", { to });
      return;
    }
    await queue(to, make(await instanceName(sql)));
  };

  return {
    async sendEnrollmentNotification(started) {
      if (!(await smtpConfigured(sql, config))) throw invalidArgument(MAIL_NOT_CONFIGURED);
      const validForS = Math.max(1, Math.round((started.expiresAt.getTime() - Date.now()) / 1000));
      const params = { instanceName: await instanceName(sql), firstName: started.user.first_name, enrollmentUrl: config.enrollmentUrl, token: started.token, validForS };
      await queue(started.email, started.kind === "desktop" ? desktopSetup(params) : enrollmentInvitation(params));
    },
    enrollmentEvents: {
      onUserActivated: ({ user }) =>
        queueIfConfigured(user.email, (instance) => welcome({ instanceName: instance, firstName: user.first_name, username: user.username, defguardUrl: config.url })),
      onDeviceAdded: ({ user, device, deviceInfo }) =>
        queueIfConfigured(user.email, (instance) =>
          newDevice({
            instanceName: instance,
            firstName: user.first_name,
            deviceName: device.name,
            publicKey: device.pubkey,
            addedAt: new Date(),
            ipAddress: deviceInfo?.ip_address || undefined,
          }),
        ),
    },
  };
}
