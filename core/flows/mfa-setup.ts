// MFA set up during enrollment (`code_mfa_setup_start`, `code_mfa_setup_finish`): TOTP answers a new secret
// for the authenticator app; email mails an activation code. Finishing with a right code enables the
// method and, the first time MFA is enabled, answers recovery codes (shown once, stored hashed).
import type { CodeMfaSetupFinishRequest__Output } from "../../proto/generated/defguard/proxy/CodeMfaSetupFinishRequest.ts";
import type { CodeMfaSetupStartRequest__Output } from "../../proto/generated/defguard/proxy/CodeMfaSetupStartRequest.ts";
import { failedPrecondition, internal } from "../../shared/errors.ts";
import type { DeviceInfo__Output } from "../../proto/generated/defguard/proxy/DeviceInfo.ts";
import type { HandlerMap, RequestContext, ResponseBody } from "../dispatcher.ts";
import { getSettings } from "../store/settings.ts";
import { requireAllowedClient } from "./enrollment/enrollment-policy.ts";
import { METHOD_LABEL, codeMethodOf } from "../mfa/mfa-method.ts";
import { secretBoxOf } from "../mfa/secret-box.ts";
import { MFA_SETUP_MESSAGES, confirmMethod, startEmailSetup, startTotpSetup } from "../mfa/method-setup.ts";
import type { CodeMethod } from "../mfa/one-time-codes.ts";
import { type MfaUser, isMethodEnabled, loadMfaUser } from "../mfa/user-mfa.ts";
import { requireMfaSetupSession } from "./mfa-setup/enrollment-session.ts";
import type { MailDeps } from "./notification-mails.ts";

export { MFA_SETUP_MESSAGES } from "../mfa/method-setup.ts";
export { totpUri } from "../mfa/one-time-codes.ts";

async function setupUser(deps: MailDeps, token: string | undefined, method: CodeMethod, deviceInfo: DeviceInfo__Output | undefined): Promise<MfaUser> {
  const { userId } = await requireMfaSetupSession(deps.sql, deps.config, token);
  requireAllowedClient(await getSettings(deps.sql), deviceInfo);
  const user = await loadMfaUser(deps.sql, userId, secretBoxOf(deps.config));
  if (!user) throw internal("enrollment token without its user");
  if (isMethodEnabled(user, method)) throw failedPrecondition(MFA_SETUP_MESSAGES.alreadyEnabled(method));
  return user;
}

async function setupStart(deps: MailDeps, request: CodeMfaSetupStartRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const method = codeMethodOf(request.method);
  const user = await setupUser(deps, request.token, method, context.deviceInfo);
  if (method === "email") {
    await startEmailSetup(deps, user);
    deps.log.info(`User ${user.username} started setting up email codes`);
    return { code_mfa_setup_start_response: {} };
  }
  const secret = await startTotpSetup(deps.sql, user, secretBoxOf(deps.config));
  deps.log.info(`User ${user.username} started setting up TOTP`);
  return { code_mfa_setup_start_response: { totp_secret: secret } };
}

async function setupFinish(deps: MailDeps, request: CodeMfaSetupFinishRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const method = codeMethodOf(request.method);
  const { id, username } = await setupUser(deps, request.token, method, context.deviceInfo);
  const recoveryCodes = await confirmMethod(deps.sql, id, method, request.code ?? "", secretBoxOf(deps.config));
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
