// Desktop-client MFA before a VPN connection (`client_mfa_start`, `client_mfa_finish`) for TOTP and email
// codes, with sessions kept in the database; and the session check `client_mfa_token_validation` adds to
// the token's signature. The pieces live in ./client-mfa/.
import type { HandlerMap } from "../dispatcher.ts";
import { finishClientMfa } from "./client-mfa/finish.ts";
import type { ClientMfaDeps } from "./client-mfa/messages.ts";
import { isSessionOpen } from "./client-mfa/sessions.ts";
import { startClientMfa } from "./client-mfa/start.ts";
import type { Queryable } from "../store/queryable.ts";

export { CLIENT_MFA_MESSAGES, type ClientMfaDeps } from "./client-mfa/messages.ts";
export { MAX_FAILED_ATTEMPTS } from "./client-mfa/sessions.ts";

/** Handlers for client_mfa_start and client_mfa_finish. */
export function createClientMfaHandlers(deps: ClientMfaDeps): HandlerMap {
  return {
    client_mfa_start: async function clientMfaStart(request) {
      return startClientMfa(deps, request);
    },
    client_mfa_finish: async function clientMfaFinish(request, context) {
      return finishClientMfa(deps, request, context);
    },
  };
}

/**
 * For client_mfa_token_validation: whether a genuine token still has a session that can be finished
 * (a used, replaced, expired or ended session makes its token invalid even before the JWT expires).
 */
export function clientMfaSessionCheck(sql: Queryable): (token: string) => Promise<boolean> {
  return (token) => isSessionOpen(sql, token);
}
