// The one place where the Core's flows are combined into the HandlerMap the proxy links dispatch to.
// A new flow is plugged in here: add its factory to the list below.
import type { Logger } from "../shared/logger.ts";
import type { CoreConfig } from "./config.ts";
import type { Database } from "./db/connection.ts";
import { type HandlerMap, combineHandlers } from "./dispatcher.ts";
import { type ClientMfaTokens, createClientMfaTokenHandlers, createClientMfaTokens } from "./flows/client-mfa-token.ts";
import { enrollmentHandlers } from "./flows/enrollment.ts";

export interface HandlerDeps {
  config: CoreConfig;
  db: Database;
  /** Target `defguard::handlers`. */
  log: Logger;
  /** Shared by every flow that signs or checks desktop-client MFA tokens (one secret per process). */
  clientMfaTokens: ClientMfaTokens;
}

/** The dependencies every flow factory receives; the MFA token secret is DEFGUARD_AUTH_SECRET. */
export function createHandlerDeps(config: CoreConfig, db: Database, log: Logger): HandlerDeps {
  return { config, db, log, clientMfaTokens: createClientMfaTokens(config.authSecret) };
}

/** Every payload the Core answers; payloads absent here are answered UNIMPLEMENTED by the dispatcher. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  return combineHandlers(
    createClientMfaTokenHandlers(deps.clientMfaTokens),
    enrollmentHandlers({ config: deps.config, sql: deps.db.sql, log: deps.log.child("defguard::enrollment") }),
    // Plug further flows in here, e.g. createEnrollmentHandlers(deps), createPasswordResetHandlers(deps).
  );
}
