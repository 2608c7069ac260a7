// MFA set up during enrollment (`code_mfa_setup_start`, `code_mfa_setup_finish`): TOTP answers a new secret
// for the authenticator app; email mails an activation code. Finishing with a right code enables the
// method and, the first time MFA is enabled, answers recovery codes (shown once, stored hashed).
import type { CodeMfaSetupFinishRequest__Output } from "../../proto/generated/defguard/proxy/CodeMfaSetupFinishRequest.ts";
import type { CodeMfaSetupStartRequest__Output } from "../../proto/generated/defguard/proxy/CodeMfaSetupStartRequest.ts";
import { failedPrecondition, internal, invalidArgument } from "../../shared/errors.ts";
import type { DeviceInfo__Output } from "../../proto/generated/defguard/proxy/DeviceInfo.ts";
import type { HandlerMap, RequestContext, ResponseBody } from "../dispatcher.ts";
import { getSettings } from "../store/settings.ts";
import { requireAllowedClient } from "./enrollment/enrollment-policy.ts";
import * as templates from "../mail/templates.tsx";
import { smtpConfigured } from "../mail/smtp-settings.ts";
import { METHOD_LABEL, codeMethodOf } from "../mfa/mfa-method.ts";
import { type CodeMethod, EMAIL_CODE_PERIOD_S, codeAt, newCodeSecret } from "../mfa/one-time-codes.ts";
import { type MfaUser, checkUserCode, claimEmailCodeSend, enableMethod, isMethodEnabled, loadMfaUser, resetEmailCodeSend, storePendingSecret } from "../mfa/user-mfa.ts";
import { requireMfaSetupSession } from "./mfa-setup/enrollment-session.ts";
import { instanceName, type MailDeps, queueMail, wakeMailWorker } from "./notification-mails.ts";

export { totpUri } from "../mfa/one-time-codes.ts";

/** Rejections a user can read; a wrong code is INVALID_ARGUMENT (HTTP 400), as in Defguard. */
export const MFA_SETUP_MESSAGES = {
  alreadyEnabled: (method: CodeMethod) => `${METHOD_LABEL[method]} already enabled for your account`,
  mailUnavailable: "email codes cannot be sent: mail is not configured on this server, choose TOTP",
  notStarted: (method: CodeMethod) => `${METHOD_LABEL[method]} setup not started: start it first`,
  wrongTotpCode: "wrong code: check the clock of your device and enter the current code",
  wrongEmailCode: "wrong or expired code: enter the latest code from the mail",
  reusedCode: "this code was already used: wait for the next one",
} as const;

/** Codes of a step either side of now are accepted; mails promise the shorter, certain part. */
const EMAIL_CODE_VALID_S = EMAIL_CODE_PERIOD_S;

async function setupUser(deps: MailDeps, token: string | undefined, method: CodeMethod, deviceInfo: DeviceInfo__Output | undefined): Promise<MfaUser> {
  const { userId } = await requireMfaSetupSession(deps.sql, deps.config, token);
  requireAllowedClient(await getSettings(deps.sql), deviceInfo);
  const user = await loadMfaUser(deps.sql, userId);
  if (!user) throw internal("enrollment token without its user");
  if (isMethodEnabled(user, method)) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled(method));
  return user;
}

/** Keeps a pending email secret (an earlier mail's code stays right), else stores a new one. */
async function startEmailSetup(deps: MailDeps, user: MfaUser): Promise<void> {
  if (!(await smtpConfigured(deps.sql, deps.config))) throw failedPrecondition(MFA_SETUP_MESSAGES.mailUnavailable);
  let secret = user.email_mfa_secret;
  if (!secret) {
    secret = newCodeSecret();
    if (!(await storePendingSecret(deps.sql, user.id, "email", secret))) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled("email"));
    await resetEmailCodeSend(deps.sql, user.id);
  }
  const now = Date.now();
  if (!(await claimEmailCodeSend(deps.sql, user.id, now))) return;
  const content = templates.mfaActivation({
    instanceName: await instanceName(deps.sql),
    firstName: user.first_name,
    code: codeAt(secret, EMAIL_CODE_PERIOD_S, now),
    validForS: EMAIL_CODE_VALID_S,
  });
  await queueMail(deps.sql, user.email, content);
  wakeMailWorker(deps);
}

async function setupStart(deps: MailDeps, request: CodeMfaSetupStartRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const method = codeMethodOf(request.method);
  const user = await setupUser(deps, request.token, method, context.deviceInfo);
  if (method === "email") {
    await startEmailSetup(deps, user);
    deps.log.info(`User ${user.username} started setting up email codes`);
    return { code_mfa_setup_start_response: {} };
  }
  const secret = newCodeSecret();
  if (!(await storePendingSecret(deps.sql, user.id, "totp", secret))) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled("totp"));
  deps.log.info(`User ${user.username} started setting up TOTP`);
  return { code_mfa_setup_start_response: { totp_secret: secret } };
}

async function setupFinish(deps: MailDeps, request: CodeMfaSetupFinishRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const method = codeMethodOf(request.method);
  const { id, username } = await setupUser(deps, request.token, method, context.deviceInfo);
  const recoveryCodes = await deps.sql.begin(async (tx) => {
    const user = await loadMfaUser(tx, id);
    if (!user || isMethodEnabled(user, method)) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled(method));
    if (!(method === "totp" ? user.totp_secret : user.email_mfa_secret)) throw failedPrecondition(MFA_SETUP_MESSAGES.notStarted(method));
    const check = await checkUserCode(tx, user, method, (request.code ?? "").trim(), Date.now());
    if (check === "reused") throw invalidArgument(MFA_SETUP_MESSAGES.reusedCode);
    if (check === "wrong") throw invalidArgument(method === "totp" ? MFA_SETUP_MESSAGES.wrongTotpCode : MFA_SETUP_MESSAGES.wrongEmailCode);
    // The activation mail's code was for the setup: the first sign-in code goes out in a mail of its own.
    if (method === "email") await resetEmailCodeSend(tx, user.id);
    return enableMethod(tx, user.id, method);
  });
  deps.log.info(`User ${username} enabled ${METHOD_LABEL[method]}${recoveryCodes.length ? ", recovery codes issued" : ""}`);
  return { code_mfa_setup_finish_response: { recovery_codes: recoveryCodes } };
}

/** Handlers for code_mfa_setup_start and code_mfa_setup_finish. */
export function createMfaSetupHandlers(deps: MailDeps): HandlerMap {
  return {
    code_mfa_setup_start: async function codeMfaSetupStart(request, context) {
      return setupStart(deps, request, context);
    },
    code_mfa_setup_finish: async function codeMfaSetupFinish(request, context) {
      return setupFinish(deps, request, context);
    },
  };
}
