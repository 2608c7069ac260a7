// Helping a user back into their account (admins): a password-reset link (`POST
// /user/{username}/reset_password`, mailed when asked and answered to copy) and turning off their second
// factors when they lost them (Defguard's `DELETE /user/{username}/mfa`).
import { Hono } from "hono";
import { z } from "zod";
import { invalidArgument, notFound } from "../../../shared/errors.ts";
import { instanceName, queueMail, wakeMailWorker } from "../../flows/notification-mails.ts";
import { smtpConfigured } from "../../mail/smtp-settings.ts";
import * as templates from "../../mail/templates.tsx";
import { disableAllMfa } from "../../mfa/method-setup.ts";
import { issueUserToken } from "../../store/user-tokens.ts";
import { getUserInfo } from "../../store/users.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export const USER_RECOVERY_MESSAGES = {
  notEnrolled: (username: string) => `user ${username} has not enrolled yet: send an enrollment link instead`,
  disabled: (username: string) => `user ${username} is disabled: enable the account first`,
  mailUnavailable: "send_mail: mail is not configured on this core",
} as const;

const resetSchema = z.object({ send_mail: z.boolean({ error: "expected true or false" }).default(false) });

export function userRecoveryRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql, config } = deps;

  /** 201 `{reset_url}`; 400 for a user without a password or disabled, or mail asked without SMTP; 404. */
  app.post("/user/:username/reset_password", async (c) => {
    const { send_mail } = await readBody(c, resetSchema);
    const username = c.req.param("username");
    const user = await getUserInfo(sql, username);
    if (!user) throw notFound(`user ${username} not found`);
    if (!user.enrolled) throw invalidArgument(USER_RECOVERY_MESSAGES.notEnrolled(username));
    if (!user.is_active) throw invalidArgument(USER_RECOVERY_MESSAGES.disabled(username));
    if (send_mail && !(await smtpConfigured(sql, config))) throw invalidArgument(USER_RECOVERY_MESSAGES.mailUnavailable);
    const validForS = config.timeouts.passwordResetTokenS;
    const { token } = await sql.begin(async (tx) => {
      const issued = await issueUserToken(tx, { kind: "PASSWORD_RESET", userId: user.id, adminId: c.get("session").userId, email: user.email, validForS });
      if (send_mail) {
        const content = templates.passwordReset({ instanceName: await instanceName(tx), firstName: user.first_name, enrollmentUrl: config.enrollmentUrl, token: issued.token, validForS });
        await queueMail(tx, user.email, content, config);
      }
      return issued;
    });
    if (send_mail) wakeMailWorker(deps);
    deps.log.info(`Admin ${c.get("session").username} made a password-reset link for user ${username}${send_mail ? " and mailed it" : ""}`);
    return c.json({ reset_url: templates.passwordResetLink(config.enrollmentUrl, token) }, 201);
  });

  /** 200 `{}`: every second factor off, secrets and recovery codes forgotten; 404 for an unknown user. */
  app.delete("/user/:username/mfa", async (c) => {
    const username = c.req.param("username");
    const user = await getUserInfo(sql, username);
    if (!user || !(await disableAllMfa(sql, user.id))) throw notFound(`user ${username} not found`);
    deps.log.info(`Admin ${c.get("session").username} turned off MFA of user ${username}`);
    return c.json({});
  });

  return app;
}
