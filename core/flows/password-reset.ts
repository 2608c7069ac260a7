// The password reset flow over the link (Defguard 1.6): `password_reset_init` mails a link (same answer for
// every address), `password_reset_start` opens the link's session, `password_reset` sets the password.
// The pieces live in ./password-reset/; this file only names the handlers.
import type { HandlerMap } from "../dispatcher.ts";
import { type BackgroundWork, createBackgroundWork } from "./password-reset/background-work.ts";
import { smtpConfigured } from "../mail/smtp-settings.ts";
import { REQUEST_MESSAGES, parseResetEmail, processResetRequest } from "./password-reset/request.ts";
import { resetPassword } from "./password-reset/reset.ts";
import { startResetSession } from "./password-reset/session.ts";
import type { MailDeps } from "./notification-mails.ts";

export { RESET_MESSAGES } from "./password-reset/session.ts";
export { REQUEST_MESSAGES, RESET_REQUEST_INTERVAL_S } from "./password-reset/request.ts";

/** Reset requests waiting to be worked on at most; more are dropped (answered the same, logged). */
export const MAX_PENDING_RESET_REQUESTS = 64;

export interface PasswordResetFlow {
  handlers: HandlerMap;
  /** The requests answered but still being worked on (lookup, token, mail); tests and shutdown wait on it. */
  background: BackgroundWork;
}

export function createPasswordResetFlow(deps: MailDeps): PasswordResetFlow {
  const log = deps.log;
  const background = createBackgroundWork(log, MAX_PENDING_RESET_REQUESTS);
  const handlers: HandlerMap = {
    password_reset_init: async function passwordResetInit(request) {
      const email = parseResetEmail(request.email);
      if (!(await smtpConfigured(deps.sql, deps.config))) {
        // Answered as for an unknown address (Defguard's Core does the same), so the answer reveals
        // nothing; the operator learns why no mail went out.
        log.warn(REQUEST_MESSAGES.mailUnavailable);
        return { empty: {} };
      }
      background.run("password reset request", () => processResetRequest(deps, email, log));
      return { empty: {} };
    },
    password_reset_start: async function passwordResetStart(request) {
      const session = await startResetSession(deps.sql, deps.config, request.token);
      return { password_reset_start: { deadline_timestamp: session.deadline } };
    },
    password_reset: async function passwordReset(request, context) {
      return resetPassword(deps, request, context);
    },
  };
  return { handlers, background };
}

/** Handlers for password_reset_init, password_reset_start and password_reset. */
export function createPasswordResetHandlers(deps: MailDeps): HandlerMap {
  return createPasswordResetFlow(deps).handlers;
}
