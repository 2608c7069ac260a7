// What the desktop-client MFA flow is built from, and every rejection as the desktop client shows it.
import { METHOD_LABEL } from "../../mfa/mfa-method.ts";
import type { CodeMethod } from "../../mfa/one-time-codes.ts";
import type { ClientMfaTokens } from "../client-mfa-token.ts";
import { DEVICE_MESSAGES } from "../enrollment/device-input.ts";
import type { MailDeps } from "../notification-mails.ts";
import type { PeerEventPublisher } from "../../gateway/peer-events.ts";

export interface ClientMfaDeps extends MailDeps {
  /** Signs and checks the session tokens (DEFGUARD_AUTH_SECRET): every core must share the secret. */
  clientMfaTokens: ClientMfaTokens;
  /** Told of each device authorized, after the commit (the location's gateways add it with its key). */
  events?: PeerEventPublisher;
}

const attempts = (n: number) => `${n} attempt${n === 1 ? "" : "s"}`;
/** A wait in whole minutes, rounded up ("1 minute" for anything up to 60 s). */
const minutes = (ms: number) => {
  const n = Math.max(1, Math.ceil(ms / 60_000));
  return `${n} minute${n === 1 ? "" : "s"}`;
};
/** What a wrong code leaves: a wait (the scope is now blocked), no attempts in this session, or how many. */
const afterWrong = (left: number, blockedMs: number) =>
  blockedMs > 0 ? `too many wrong codes, wait ${minutes(blockedMs)} before the next try` : left <= 0 ? "no attempts left, start again" : `${attempts(left)} left`;

/**
 * Texts the Defguard desktop client (1.6) compares answers with, kept word for word: on `invalid token`
 * and `login session not found` it says the session expired and starts over; on `selected MFA method
 * not available` it says the method is not set up. Our reason for each is in the Core's log.
 */
export const DESKTOP_CLIENT_TEXTS = {
  invalidToken: "invalid token",
  sessionNotFound: "login session not found",
  methodUnavailable: "selected MFA method not available",
} as const;

export const CLIENT_MFA_MESSAGES = {
  locationNotFound: "location not found",
  deviceNotFound: DEVICE_MESSAGES.deviceNotFound,
  userDisabled: "your account is disabled: contact your administrator",
  notAllowed: "you are not allowed to use this location: ask your administrator",
  notInLocation: "this device has no address in this location: ask your administrator",
  mfaDisabled: "this location does not require MFA: connect without it",
  mfaExternal: "this location uses an external identity provider for MFA, which this server does not offer",
  /** What start answers for either of the next two reasons (they are logged). */
  methodUnavailable: DESKTOP_CLIENT_TEXTS.methodUnavailable,
  methodNotEnabled: (method: CodeMethod) => `${METHOD_LABEL[method]} not enabled for your account: set it up first or choose another method`,
  mailUnavailable: "email codes cannot be sent: mail is not configured on this server, choose TOTP",
  /** RESOURCE_EXHAUSTED (HTTP 429): the device or the user is blocked after wrong codes, the right code too. */
  throttled: (blockedMs: number) => `too many wrong codes: wait ${minutes(blockedMs)} before trying again`,
  tokenInvalid: DESKTOP_CLIENT_TEXTS.invalidToken,
  codeRequired: "code is required",
  /** Used, or replaced by a newer one. */
  sessionGone: DESKTOP_CLIENT_TEXTS.sessionNotFound,
  /** Its token outlived: what Defguard answers for an expired token. */
  sessionExpired: DESKTOP_CLIENT_TEXTS.invalidToken,
  tooManyAttempts: "too many wrong codes: this MFA session has ended, start again",
  /** `left`: wrong codes left before the session ends or a block begins; `blockedMs`: the block this one began. */
  wrongCode: (left: number, blockedMs: number) => `wrong code: ${afterWrong(left, blockedMs)}`,
  reusedCode: (left: number, blockedMs: number) => `this code was already used: wait for the next one (${afterWrong(left, blockedMs)})`,
  deviceGone: "this device is no longer in this location: ask your administrator",
} as const;
