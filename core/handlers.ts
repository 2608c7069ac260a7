// The one place where the Core's flows are combined into the HandlerMap the proxy links dispatch to.
// A new flow is plugged in here: add its factory to the list below.
import type { Logger } from "../shared/logger.ts";
import type { CoreConfig } from "./config.ts";
import type { Database } from "./db/connection.ts";
import type { PeerEventPublisher } from "./gateway/peer-events.ts";
import { type HandlerMap, combineHandlers } from "./dispatcher.ts";
import { type ClientMfaTokens, createClientMfaTokenHandlers, createClientMfaTokens } from "./flows/client-mfa-token.ts";
import { enrollmentHandlers } from "./flows/enrollment.ts";
import { clientMfaSessionCheck, createClientMfaHandlers } from "./flows/client-mfa.ts";
import { createMfaSetupHandlers } from "./flows/mfa-setup.ts";
import { createEnrollmentNotices, type MailDeps } from "./flows/notification-mails.ts";
import { createPasswordResetHandlers } from "./flows/password-reset.ts";
import { createPollingHandlers } from "./flows/polling.ts";

export interface HandlerDeps {
  config: CoreConfig;
  db: Database;
  /** Target `defguard::handlers`. */
  log: Logger;
  /** Shared by every flow that signs or checks desktop-client MFA tokens (one secret per process). */
  clientMfaTokens: ClientMfaTokens;
  /** The mail outbox worker, woken after a flow queues mail; without it mail goes out at its next poll. */
  mailWorker?: { wakeUp(): void };
  /** Where flows that change who may connect say so (core/gateway/peer-events.ts). */
  events?: PeerEventPublisher;
}

/** The dependencies every flow factory receives; the MFA token secret is DEFGUARD_AUTH_SECRET. */
export function createHandlerDeps(config: CoreConfig, db: Database, log: Logger, mailWorker?: { wakeUp(): void }): HandlerDeps {
  return { config, db, log, clientMfaTokens: createClientMfaTokens(config.authSecret), mailWorker };
}

/** What the flows that queue mail need, with their own log target. */
function mailDeps(deps: HandlerDeps, target: string): MailDeps {
  return { config: deps.config, sql: deps.db.sql, log: deps.log.child(target), mailWorker: deps.mailWorker };
}

/** Every payload the Core answers; payloads absent here are answered UNIMPLEMENTED by the dispatcher. */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  return combineHandlers(
    createClientMfaTokenHandlers(deps.clientMfaTokens, clientMfaSessionCheck(deps.db.sql)),
    enrollmentHandlers({
      config: deps.config,
      sql: deps.db.sql,
      log: deps.log.child("defguard::enrollment"),
      notices: createEnrollmentNotices(mailDeps(deps, "defguard::mail")),
      events: deps.events,
    }),
    createPasswordResetHandlers(mailDeps(deps, "defguard::password_reset")),
    createMfaSetupHandlers(mailDeps(deps, "defguard::mfa")),
    createClientMfaHandlers({ ...mailDeps(deps, "defguard::client_mfa"), clientMfaTokens: deps.clientMfaTokens, events: deps.events }),
    createPollingHandlers({ config: deps.config, sql: deps.db.sql, log: deps.log.child("defguard::polling") }),
    // A new flow is one more factory here; the dispatcher refuses a payload claimed twice.
  );
}
