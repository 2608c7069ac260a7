// The audit trail as CSV (RFC 4180) for the audit log page's export: one header line, one line per event,
// CRLF line ends. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
// apostrophe: usernames and user agents come from anyone who tries to sign in.
import type { AuditRow } from "./audit-log.ts";

const COLUMNS = ["id", "occurred_at", "event", "outcome", "username", "ip_address", "user_agent", "details"] as const;

/** One cell: quoted when it holds a quote, comma or line break; defused when it starts like a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function auditCsv(rows: readonly AuditRow[]): string {
  const line = (cells: string[]) => cells.map(csvCell).join(",");
  const body = rows.map((r) =>
    line([String(r.id), new Date(r.occurred_at).toISOString(), r.event, r.outcome, r.username ?? "", r.ip_address ?? "", r.user_agent ?? "", JSON.stringify(r.details ?? {})]),
  );
  return [line([...COLUMNS]), ...body].map((l) => `${l}\r\n`).join("");
}
