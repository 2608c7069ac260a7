// The audit log (admins): security events newest first, filtered by user, kind and time (a plain GET
// form: the filters live in the URL), a page at a time, and the same selection as a CSV download
// (GET /api/v1/audit/export.csv).
import { AUDIT_EVENTS, type AuditQuery, type AuditRow } from "../../audit/audit-log.ts";
import { Badge, Notice, When } from "../components.tsx";
import { Table } from "../table.tsx";
import type { UiPage } from "../page.ts";

const EVENTS_PER_PAGE = 50;
/** `datetime-local` values, read as UTC (the page says so). */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export interface AuditFilters {
  username: string;
  event: string;
  since: string;
  until: string;
}

/** The filters of the page's URL, and what of them the store takes; `problems` names what was ignored. */
export function readAuditFilters(query: Record<string, string | undefined>): { filters: AuditFilters; query: Omit<AuditQuery, "limit">; problems: string[] } {
  const filters = { username: (query.username ?? "").slice(0, 64), event: query.event ?? "", since: query.since ?? "", until: query.until ?? "" };
  const problems: string[] = [];
  const time = (name: "since" | "until") => {
    if (!filters[name]) return undefined;
    if (LOCAL_TIME.test(filters[name])) return new Date(`${filters[name]}Z`);
    problems.push(`${name === "since" ? "From" : "Until"}: expected a date and time such as 2024-01-24T14:05`);
    return undefined;
  };
  const event = (AUDIT_EVENTS as readonly string[]).includes(filters.event) ? (filters.event as AuditQuery["event"]) : undefined;
  if (filters.event && !event) problems.push(`Kind: no such event "${filters.event}"`);
  const beforeId = /^\d{1,15}$/.test(query.before_id ?? "") ? Number(query.before_id) : undefined;
  return { filters, query: { username: filters.username || undefined, event, since: time("since"), until: time("until"), beforeId }, problems };
}

/** The export's URL for the same selection (times as ISO 8601 with their zone, as the API wants them). */
export function exportUrl(query: Omit<AuditQuery, "limit">): string {
  const params = new URLSearchParams();
  if (query.username) params.set("username", query.username);
  if (query.event) params.set("event", query.event);
  if (query.since) params.set("since", query.since.toISOString());
  if (query.until) params.set("until", query.until.toISOString());
  const text = params.toString();
  return `/api/v1/audit/export.csv${text ? `?${text}` : ""}`;
}

function Filters(props: { filters: AuditFilters }) {
  const f = props.filters;
  return (
    <form class="panel inline-fields" method="get" action="/ui/audit" aria-label="Filter events">
      <div class="field">
        <label for="audit-username">User</label>
        <input id="audit-username" name="username" type="search" value={f.username} maxlength={64} />
      </div>
      <div class="field">
        <label for="audit-event">Kind</label>
        <select id="audit-event" name="event">
          <option value="">any</option>
          {AUDIT_EVENTS.map((e) => (
            <option value={e} selected={f.event === e}>
              {e.replaceAll("_", " ")}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-since">From (UTC)</label>
        <input id="audit-since" name="since" type="datetime-local" value={f.since} />
      </div>
      <div class="field">
        <label for="audit-until">Until (UTC)</label>
        <input id="audit-until" name="until" type="datetime-local" value={f.until} />
      </div>
      <div class="actions">
        <button type="submit" class="button">
          Filter
        </button>
      </div>
    </form>
  );
}

function details(row: AuditRow): string {
  const entries = Object.entries(row.details ?? {});
  return entries.length ? entries.map(([k, v]) => `${k.replaceAll("_", " ")}: ${typeof v === "string" ? v : JSON.stringify(v)}`).join("; ") : "—";
}

function Events(props: { rows: AuditRow[] }) {
  return (
    <Table caption="Audit events" columns={["When", "Event", "User", "From", "Details"]} wide>
      {props.rows.map((e) => (
        <tr>
          <td>
            <When at={e.occurred_at} />
          </td>
          <td>
            {e.event.replaceAll("_", " ")} {e.outcome === "success" ? <Badge tone="ok">success</Badge> : <Badge tone="bad">failure</Badge>}
          </td>
          <td class="wrap">{e.username ?? "—"}</td>
          <td class="wrap">
            {e.ip_address ?? "—"}
            {e.user_agent ? <span class="hint user-agent">{e.user_agent}</span> : null}
          </td>
          <td class="wrap">{details(e)}</td>
        </tr>
      ))}
    </Table>
  );
}

export const auditPage: UiPage = {
  path: "/ui/audit",
  name: "audit",
  access: "admin",
  async render({ c, deps }) {
    const { filters, query, problems } = readAuditFilters(c.req.query());
    const rows = deps.audit ? await deps.audit.list({ ...query, limit: EVENTS_PER_PAGE }) : [];
    const older = rows.length === EVENTS_PER_PAGE ? new URLSearchParams({ ...filters, before_id: String(rows.at(-1)!.id) }) : undefined;
    return {
      title: "Audit log",
      body: (
        <>
          <h1>Audit log</h1>
          {deps.audit ? null : (
            <Notice tone="warning">
              <p>The audit trail is off on this Core.</p>
            </Notice>
          )}
          <Filters filters={filters} />
          {problems.length ? (
            <Notice tone="warning">
              <p role="alert">{`Ignored: ${problems.join("; ")}`}</p>
            </Notice>
          ) : null}
          <div class="actions">
            <a class="button secondary" href={exportUrl(query)} download="audit-log.csv">
              Export these events as CSV
            </a>
          </div>
          {rows.length === 0 ? <p class="empty">No events match.</p> : <Events rows={rows} />}
          {older ? (
            <nav class="pagination" aria-label="Pages">
              <a class="button secondary" href={`/ui/audit?${older}`} rel="next">
                Older events
              </a>
            </nav>
          ) : null}
        </>
      ),
    };
  },
};
