// `client_mfa_start`: the desktop client asks to connect a device to a location that requires MFA. The
// location, the device and its user are checked, a session is stored and its token (a JWT) answered; for
// email, the current code is mailed.
import type { ClientMfaStartRequest__Output } from "../../../proto/generated/defguard/proxy/ClientMfaStartRequest.ts";
import { type AppError, failedPrecondition, notFound, permissionDenied, resourceExhausted } from "../../../shared/errors.ts";
import type { ResponseBody } from "../../dispatcher.ts";
import { smtpConfigured } from "../../mail/smtp-settings.ts";
import { codeMethodOf } from "../../mfa/mfa-method.ts";
import type { CodeMethod } from "../../mfa/one-time-codes.ts";
import { type MfaUser, isMethodEnabled, loadMfaUser } from "../../mfa/user-mfa.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import { networkAllowsUser } from "../../store/network-access.ts";
import type { Queryable } from "../../store/queryable.ts";
import { CLIENT_MFA_TOKEN_TTL_S } from "../client-mfa-token.ts";
import { parsePublicKey } from "../enrollment/device-input.ts";
import { mailEmailCode } from "../email-code-mail.ts";
import { CLIENT_MFA_MESSAGES, type ClientMfaDeps } from "./messages.ts";
import { saveSession } from "./sessions.ts";
import { blockedFor } from "./throttle.ts";

const WIRE_METHOD: Record<CodeMethod, number> = { totp: 0, email: 1 };

interface Target {
  networkId: number;
  mfaMode: string;
  deviceId: number;
  userId: number;
  allowed: boolean;
  inNetwork: boolean;
}

/** The location and the device (each NOT_FOUND when missing), with what the checks need. */
async function loadTarget(q: Queryable, locationId: number, pubkey: string): Promise<Target> {
  const [network] = await q<{ id: number; mfa_mode: string }[]>`SELECT id, mfa_mode FROM networks WHERE id = ${locationId}`;
  if (!network) throw notFound(CLIENT_MFA_MESSAGES.locationNotFound);
  const [device] = await q<{ id: number; user_id: number; allowed: boolean; in_network: boolean }[]>`
    SELECT d.id, d.user_id,
           ${networkAllowsUser(q, network.id, q`d.user_id`)} AS allowed,
           EXISTS (SELECT 1 FROM network_devices nd WHERE nd.network_id = ${network.id} AND nd.device_id = d.id) AS in_network
    FROM devices d WHERE d.pubkey = ${pubkey}`;
  if (!device) throw notFound(CLIENT_MFA_MESSAGES.deviceNotFound);
  return { networkId: network.id, mfaMode: network.mfa_mode, deviceId: device.id, userId: device.user_id, allowed: device.allowed, inNetwork: device.in_network };
}

/**
 * Checks in this order: user active, allowed (PERMISSION_DENIED), device in the location (NOT_FOUND),
 * location's MFA mode, method enabled, mail for email codes (FAILED_PRECONDITION). The caller then checks
 * the throttle (RESOURCE_EXHAUSTED).
 */
async function checkTarget(deps: ClientMfaDeps, target: Target, method: CodeMethod): Promise<MfaUser> {
  const user = await loadMfaUser(deps.sql, target.userId, secretBoxOf(deps.config));
  if (!user?.is_active) throw permissionDenied(CLIENT_MFA_MESSAGES.userDisabled);
  if (!target.allowed) throw permissionDenied(CLIENT_MFA_MESSAGES.notAllowed);
  if (!target.inNetwork) throw notFound(CLIENT_MFA_MESSAGES.notInLocation);
  if (target.mfaMode === "disabled") throw failedPrecondition(CLIENT_MFA_MESSAGES.mfaDisabled);
  if (target.mfaMode !== "internal") throw failedPrecondition(CLIENT_MFA_MESSAGES.mfaExternal);
  if (!isMethodEnabled(user, method)) throw methodUnavailable(deps, user.username, CLIENT_MFA_MESSAGES.methodNotEnabled(method));
  if (method === "email" && !(await smtpConfigured(deps.sql, deps.config))) throw methodUnavailable(deps, user.username, CLIENT_MFA_MESSAGES.mailUnavailable);
  return user;
}

/** FAILED_PRECONDITION with the text the desktop client recognizes; `reason` goes to the log. */
function methodUnavailable(deps: ClientMfaDeps, username: string, reason: string): AppError {
  deps.log.info(`Desktop-client MFA for user ${username} refused: ${reason}`);
  return failedPrecondition(CLIENT_MFA_MESSAGES.methodUnavailable);
}

export async function startClientMfa(deps: ClientMfaDeps, request: ClientMfaStartRequest__Output): Promise<ResponseBody> {
  const method = codeMethodOf(request.method);
  const pubkey = parsePublicKey(request.pubkey);
  const target = await loadTarget(deps.sql, Number(request.location_id), pubkey);
  const user = await checkTarget(deps, target, method);
  // Refused while blocked: the client learns the wait at once, and no code is mailed that could not be used.
  const blockedMs = await blockedFor(deps.sql, { userId: user.id, deviceId: target.deviceId, networkId: target.networkId });
  if (blockedMs > 0) throw resourceExhausted(CLIENT_MFA_MESSAGES.throttled(blockedMs));
  const token = await deps.clientMfaTokens.signClientMfaToken({ pubkey, locationId: target.networkId, method: WIRE_METHOD[method] }, CLIENT_MFA_TOKEN_TTL_S);
  await saveSession(deps.sql, { token, deviceId: target.deviceId, networkId: target.networkId, userId: user.id, method, ttlS: CLIENT_MFA_TOKEN_TTL_S });
  if (method === "email") await mailEmailCode(deps, user);
  deps.log.info(`User ${user.username} started ${method} MFA for location ${target.networkId}`);
  return { client_mfa_start: { token } };
}
