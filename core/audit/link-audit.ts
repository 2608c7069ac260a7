// The audit trail of the public flows: an observer (see handler-observers.ts) that turns answered and
// refused link requests into audit events, with the client's address and user agent from device_info.
// The flows themselves are not touched.
import { AppError } from "../../shared/errors.ts";
import type { RequestPayloadKind } from "../dispatcher.ts";
import type { HandledRequest, HandlerObserver } from "../handler-observers.ts";
import { AUDIT_EVENTS, type AuditEvent, type AuditEventName, type AuditLog } from "./audit-log.ts";
import type { AuditSubjects } from "./audit-subjects.ts";

type Described = { event: AuditEventName; username: Promise<string | null> | string | null; details?: AuditEvent["details"] };

/** The audited payload kinds: which event each is, and whom it concerns. */
function describe(handled: HandledRequest, subjects: AuditSubjects): Described | null {
  const r = handled.request as unknown as Record<string, unknown>;
  const token = typeof r.token === "string" ? r.token : null;
  // The user the flow named once it had checked the token; looked up only for requests refused before.
  const userOfToken = (value: string | null) => handled.context.username ?? subjects.userOfToken(value);
  switch (handled.kind as RequestPayloadKind) {
    case "enrollment_start": {
      const login = handled.outcome.ok ? handled.outcome.response.enrollment_start?.user?.login : undefined;
      return { event: "enrollment_started", username: login ?? userOfToken(token) };
    }
    case "activate_user":
      return { event: "enrollment_completed", username: userOfToken(token) };
    case "new_device":
      return { event: "device_added", username: userOfToken(token), details: { device: String(r.name ?? ""), pubkey: String(r.pubkey ?? "") } };
    case "password_reset_init":
      return { event: "password_reset_requested", username: subjects.userOfEmail(String(r.email ?? "")), details: { email: String(r.email ?? "") } };
    case "password_reset_start":
      return { event: "password_reset_started", username: userOfToken(token) };
    case "password_reset":
      return { event: "password_reset_completed", username: userOfToken(token) };
    case "code_mfa_setup_finish":
      return { event: "mfa_setup", username: userOfToken(token), details: { method: Number(r.method ?? 0) } };
    case "client_mfa_finish":
      return { event: "mfa_login", username: subjects.userOfMfaToken(token) };
    default:
      return null;
  }
}

/** The reason a refused request gives (its message); unexpected errors say only that they were internal. */
function failureReason(error: unknown): string {
  return error instanceof AppError ? error.message : "internal error";
}

/** The flow's own security findings (RequestContext.auditEvents) about the same user, as failures. */
function recordFindings(audit: AuditLog, handled: HandledRequest, username: Promise<string | null> | string | null): void {
  const info = handled.context.deviceInfo;
  for (const finding of handled.context.auditEvents ?? []) {
    if (!(AUDIT_EVENTS as readonly string[]).includes(finding.event)) continue;
    audit.record(
      (async (): Promise<AuditEvent> => ({
        event: finding.event as AuditEventName,
        outcome: "failure",
        username: await username,
        ipAddress: info?.ip_address ?? null,
        userAgent: info?.user_agent ?? null,
        details: finding.details ?? {},
      }))(),
    );
  }
}

/** Records an audit event for every audited request the flows answer or refuse, and the flows' findings. */
export function linkAuditObserver(audit: AuditLog, subjects: AuditSubjects): HandlerObserver {
  return function auditLinkRequest(handled) {
    const described = describe(handled, subjects);
    if (!described) return;
    const info = handled.context.deviceInfo;
    const outcome = handled.outcome;
    audit.record(
      (async (): Promise<AuditEvent> => ({
        event: described.event,
        outcome: outcome.ok ? "success" : "failure",
        username: await described.username,
        ipAddress: info?.ip_address ?? null,
        userAgent: info?.user_agent ?? null,
        details: outcome.ok ? described.details : { ...described.details, reason: failureReason(outcome.error) },
      }))(),
    );
    recordFindings(audit, handled, described.username);
  };
}
