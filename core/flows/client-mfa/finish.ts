// `client_mfa_finish`: the desktop client sends the session token and a code. A right code authorizes the
// device in the location with a fresh preshared key and ends the session (single use); a wrong one is
// counted, and the MAX_FAILED_ATTEMPTS-th ends the session.
import type { ClientMfaFinishRequest__Output } from "../../../proto/generated/defguard/proxy/ClientMfaFinishRequest.ts";
import { type AppError, failedPrecondition, invalidArgument, notFound, permissionDenied, unauthenticated } from "../../../shared/errors.ts";
import type { ResponseBody } from "../../dispatcher.ts";
import { checkUserCode, isMethodEnabled, loadMfaUser } from "../../mfa/user-mfa.ts";
import type { Queryable } from "../../store/queryable.ts";
import { generatePresharedKey } from "../../wireguard/keys.ts";
import { CLIENT_MFA_MESSAGES, type ClientMfaDeps } from "./messages.ts";
import { type ClientMfaSession, MAX_FAILED_ATTEMPTS, deleteSession, lockSession, recordFailure } from "./sessions.ts";

/** The transaction's outcome: a rejection to throw after the commit (so wrong codes stay counted), or success. */
type Outcome = { rejection: AppError } | { presharedKey: string; session: ClientMfaSession; username: string };

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

async function finishInTransaction(tx: Queryable, token: string, code: string, claims: { pubkey: string; locationId: number }): Promise<Outcome> {
  const session = await lockSession(tx, token);
  const rejected = sessionRejection(session, claims);
  if (rejected) return { rejection: rejected };
  const s = session!;
  const user = await loadMfaUser(tx, s.user_id);
  if (!user?.is_active) return { rejection: permissionDenied(CLIENT_MFA_MESSAGES.userDisabled) };
  if (!isMethodEnabled(user, s.method)) return { rejection: failedPrecondition(CLIENT_MFA_MESSAGES.methodNotEnabled(s.method)) };
  const check = await checkUserCode(tx, user, s.method, code, Date.now());
  if (check !== "ok") {
    const failed = await recordFailure(tx, s.id);
    const message = check === "reused" ? CLIENT_MFA_MESSAGES.reusedCode(failed) : CLIENT_MFA_MESSAGES.wrongCode(failed);
    return { rejection: unauthenticated(message) };
  }
  const presharedKey = generatePresharedKey();
  if (!(await authorizeDevice(tx, s, presharedKey))) return { rejection: notFound(CLIENT_MFA_MESSAGES.deviceGone) };
  await deleteSession(tx, s.id);
  return { presharedKey, session: s, username: user.username };
}

/**
 * Checks in this order: token genuine and unexpired (UNAUTHENTICATED), code present (INVALID_ARGUMENT),
 * session stored, unexpired and not ended (UNAUTHENTICATED), user active (PERMISSION_DENIED), method
 * still enabled (FAILED_PRECONDITION), the code (UNAUTHENTICATED, counted).
 */
export async function finishClientMfa(deps: ClientMfaDeps, request: ClientMfaFinishRequest__Output): Promise<ResponseBody> {
  const claims = await deps.clientMfaTokens.verifyClientMfaToken(request.token ?? "");
  if (!claims) throw unauthenticated(CLIENT_MFA_MESSAGES.tokenInvalid);
  const code = (request.code ?? "").trim();
  if (!code) throw invalidArgument(CLIENT_MFA_MESSAGES.codeRequired);
  const outcome = await deps.sql.begin((tx) => finishInTransaction(tx, request.token, code, claims));
  if ("rejection" in outcome) {
    deps.log.info(`Desktop-client MFA for location ${claims.locationId} refused: ${outcome.rejection.message}`);
    throw outcome.rejection;
  }
  deps.log.info(`User ${outcome.username} authorized device ${outcome.session.device_id} in location ${outcome.session.network_id} with ${outcome.session.method} MFA`);
  return { client_mfa_finish: { preshared_key: outcome.presharedKey } };
}
