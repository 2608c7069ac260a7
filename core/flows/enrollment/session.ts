// The enrollment token and its session (core/flows/token-session.ts has the rules): a token of kind
// ENROLLMENT, valid for DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT until first used; first use opens a session of
// DEFGUARD_ENROLLMENT_SESSION_TIMEOUT; activation spends the token.
import type { TokenSession, TokenSessionSpec } from "../token-session.ts";

export type EnrollmentSession = TokenSession;

/** Every rejection of an enrollment token or session, as the user reads it. */
export const SESSION_MESSAGES = {
  tokenMissing: "missing enrollment token: open the enrollment link you received",
  tokenInvalid: "invalid enrollment token: check the link or ask your administrator for a new one",
  /** Word for word Defguard's: the desktop client (1.6) recognizes it and says so in its own words. */
  tokenExpired: "token expired",
  tokenUsed: "enrollment token already used: ask your administrator for a new one",
  sessionNotStarted: "enrollment session not started: open the enrollment link you received",
  sessionExpired: "enrollment session expired: ask your administrator for a new enrollment link",
  userDisabled: "your account is disabled: contact your administrator",
} as const;

export const ENROLLMENT_SESSION: TokenSessionSpec = {
  kind: "ENROLLMENT",
  tokenTimeoutS: (config) => config.timeouts.enrollmentTokenS,
  sessionTimeoutS: (config) => config.timeouts.enrollmentSessionS,
  messages: SESSION_MESSAGES,
};
