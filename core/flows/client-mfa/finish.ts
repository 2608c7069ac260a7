// `client_mfa_finish`: the desktop client sends the session token and a code. A right code authorizes the
// device in the location with a fresh preshared key and ends the session (single use); a wrong one is
// counted in the session (the MAX_FAILED_ATTEMPTS-th ends it) and in the device's and user's throttle
// (./throttle.ts), which refuses every code, the right one too, while it blocks.
import type { ClientMfaFinishRequest__Output } from "../../../proto/generated/defguard/proxy/ClientMfaFinishRequest.ts";
import {
  type AppError,
  failedPrecondition,
  invalidArgument,
  notFound,
  permissionDenied,
  resourceExhausted,
  unauthenticated,
} from "../../../shared/errors.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import { type CodeCheck, type MfaUser, checkUserCode, isMethodEnabled, loadMfaUser } from "../../mfa/user-mfa.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import type { Queryable } from "../../store/queryable.ts";
import { generatePresharedKey } from "../../wireguard/keys.ts";
import { wakeMailWorker } from "../notification-mails.ts";
import { type GuessingReport, reportGuessing } from "./guessing-report.ts";
import { CLIENT_MFA_MESSAGES, type ClientMfaDeps } from "./messages.ts";
import { type ClientMfaSession, MAX_FAILED_ATTEMPTS, deleteSession, lockSession, recordFailure } from "./sessions.ts";
import { type LockedThrottles, type ThrottleTarget, countFailure, lockThrottles, lockedBlockMs } from "./throttle.ts";

/**
 * The transaction's outcome: a rejection to throw after the commit (so wrong codes stay counted), with the
 * report of a guessing episode that began, or success.
 */
type Outcome = { rejection: AppError; guessing?: GuessingReport } | { presharedKey: string; session: ClientMfaSession; username: string };

/** Why a stored session cannot take a code now, or undefined. */
function sessionRejection(session: ClientMfaSession | undefined, claims: { pubkey: string; locationId: number }): AppError | undefined {
  if (!session || session.pubkey !== claims.pubkey || session.network_id !== claims.locationId) return unauthenticated(CLIENT_MFA_MESSAGES.sessionGone);
  if (session.expired) return unauthenticated(CLIENT_MFA_MESSAGES.sessionExpired);
  if (session.failed_attempts >= MAX_FAILED_ATTEMPTS) return unauthenticated(CLIENT_MFA_MESSAGES.tooManyAttempts);
  return undefined;
}

/** Marks the device authorized in the location with a new preshared key; false when it left the location. */
async function authorizeDevice(tx: Queryable, session: ClientMfaSession, presharedKey: string): Promise<boolean> {
  const rows = await tx`
    UPDATE network_devices SET is_authorized = true, authorized_at = now(), preshared_key = ${presharedKey}
    WHERE network_id = ${session.network_id} AND device_id = ${session.device_id} RETURNING device_id`;
  return rows.length === 1;
}

interface WrongCode {
  session: ClientMfaSession;
  user: MfaUser;
  target: ThrottleTarget;
  throttles: LockedThrottles;
  check: Exclude<CodeCheck, "ok">;
}

/** Counts a wrong code in the session and the throttle; reports the episode when this began its first block. */
async function rejectWrongCode(deps: ClientMfaDeps, tx: Queryable, wrong: WrongCode, context: RequestContext): Promise<Outcome> {
  const failed = await recordFailure(tx, wrong.session.id);
  const counted = await countFailure(tx, wrong.target, wrong.throttles);
  const left = Math.min(MAX_FAILED_ATTEMPTS - failed, counted.freeLeft);
  const message = wrong.check === "reused" ? CLIENT_MFA_MESSAGES.reusedCode(left, counted.blockedMs) : CLIENT_MFA_MESSAGES.wrongCode(left, counted.blockedMs);
  if (!counted.report) return { rejection: unauthenticated(message) };
  const guessing = await reportGuessing(deps, tx, wrong.user, wrong.target, counted.user.episodeFailures, context.deviceInfo);
  return { rejection: unauthenticated(message), guessing };
}

async function finishInTransaction(
  deps: ClientMfaDeps,
  tx: Queryable,
  request: { token: string; code: string; claims: { pubkey: string; locationId: number } },
  context: RequestContext,
): Promise<Outcome> {
  const session = await lockSession(tx, request.token);
  const rejected = sessionRejection(session, request.claims);
  if (rejected) return { rejection: rejected };
  const s = session!;
  const target = { userId: s.user_id, deviceId: s.device_id, networkId: s.network_id };
  const throttles = await lockThrottles(tx, target);
  const blockedMs = lockedBlockMs(throttles);
  if (blockedMs > 0) return { rejection: resourceExhausted(CLIENT_MFA_MESSAGES.throttled(blockedMs)) };
  const user = await loadMfaUser(tx, s.user_id, secretBoxOf(deps.config));
  if (!user?.is_active) return { rejection: permissionDenied(CLIENT_MFA_MESSAGES.userDisabled) };
  if (!isMethodEnabled(user, s.method)) return { rejection: failedPrecondition(CLIENT_MFA_MESSAGES.methodNotEnabled(s.method)) };
  const check = await checkUserCode(tx, user, s.method, request.code, Date.now());
  if (check !== "ok") return rejectWrongCode(deps, tx, { session: s, user, target, throttles, check }, context);
  const presharedKey = generatePresharedKey();
  if (!(await authorizeDevice(tx, s, presharedKey))) return { rejection: notFound(CLIENT_MFA_MESSAGES.deviceGone) };
  await deleteSession(tx, s.id);
  return { presharedKey, session: s, username: user.username };
}

/** After the commit: the mail goes out now, the log warns, the audit trail records the episode. */
function announceGuessing(deps: ClientMfaDeps, report: GuessingReport, context: RequestContext): void {
  if (report.mailed) wakeMailWorker(deps);
  deps.log.warn(
    `Wrong MFA codes are being sent for user ${report.username}'s device ${report.deviceName} in location ${report.locationName} ` +
      `(${report.failures} so far): further codes are delayed${report.mailed ? ", the user was mailed" : ""}`,
  );
  const details = { device: report.deviceName, location: report.locationName, failures: report.failures, mailed: report.mailed };
  (context.auditEvents ??= []).push({ event: "mfa_guessing", details });
}

/**
 * Checks in this order: token genuine and unexpired (UNAUTHENTICATED), code present (INVALID_ARGUMENT),
 * session stored, unexpired and not ended (UNAUTHENTICATED), device and user not blocked after wrong codes
 * (RESOURCE_EXHAUSTED, HTTP 429), user active (PERMISSION_DENIED), method still enabled
 * (FAILED_PRECONDITION), the code (UNAUTHENTICATED, counted).
 */
export async function finishClientMfa(deps: ClientMfaDeps, request: ClientMfaFinishRequest__Output, context: RequestContext): Promise<ResponseBody> {
  const claims = await deps.clientMfaTokens.verifyClientMfaToken(request.token ?? "");
  if (!claims) throw unauthenticated(CLIENT_MFA_MESSAGES.tokenInvalid);
  const code = (request.code ?? "").trim();
  if (!code) throw invalidArgument(CLIENT_MFA_MESSAGES.codeRequired);
  const outcome = await deps.sql.begin((tx) => finishInTransaction(deps, tx, { token: request.token, code, claims }, context));
  if ("rejection" in outcome) {
    if (outcome.guessing) announceGuessing(deps, outcome.guessing, context);
    deps.log.info(`Desktop-client MFA for location ${claims.locationId} refused: ${outcome.rejection.message}`);
    throw outcome.rejection;
  }
  await deps.events?.publish({ type: "devices", deviceIds: [outcome.session.device_id] });
  deps.log.info(`User ${outcome.username} authorized device ${outcome.session.device_id} in location ${outcome.session.network_id} with ${outcome.session.method} MFA`);
  return { client_mfa_finish: { preshared_key: outcome.presharedKey } };
}
