// The password reset token and its session (core/flows/token-session.ts has the rules): a token of kind
// PASSWORD_RESET, valid for DEFGUARD_PASSWORD_RESET_TOKEN_TIMEOUT until first used; first use opens a
// session of DEFGUARD_PASSWORD_RESET_SESSION_TIMEOUT; the reset spends the token. An enrollment token is
// not a reset token, and the other way round.
import type { CoreConfig } from "../../config.ts";
import type { Queryable } from "../../store/queryable.ts";
import { type TokenSessionSpec, requireTokenSession, startTokenSession } from "../token-session.ts";

export const RESET_MESSAGES = {
  tokenMissing: "missing password reset token: open the link from the password reset mail",
  tokenInvalid: "invalid password reset token: request a new password reset",
  tokenExpired: "password reset token expired: request a new password reset",
  tokenUsed: "password reset token already used: request a new password reset",
  sessionNotStarted: "password reset session not started: open the link from the password reset mail",
  sessionExpired: "password reset session expired: request a new password reset",
  userDisabled: "your account is disabled: contact your administrator",
} as const;

export const RESET_SESSION: TokenSessionSpec = {
  kind: "PASSWORD_RESET",
  tokenTimeoutS: (config) => config.timeouts.passwordResetTokenS,
  sessionTimeoutS: (config) => config.timeouts.passwordResetSessionS,
  messages: RESET_MESSAGES,
};

/** Opens the token's reset session on first use, or resumes it with the same deadline. */
export function startResetSession(db: Queryable, config: CoreConfig, token: string | undefined) {
  return startTokenSession(db, RESET_SESSION, config, token);
}

/** The open reset session of `token`; `lock` holds the token row until the caller's transaction ends. */
export function requireResetSession(db: Queryable, config: CoreConfig, token: string | undefined, options: { lock?: boolean } = {}) {
  return requireTokenSession(db, RESET_SESSION, config, token, options);
}
