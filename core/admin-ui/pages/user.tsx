// One user (admins): their details to edit, enabling and disabling, deletion, groups, the enrollment
// and desktop-client activation links, their devices and their recent audit events. Everything is read
// from the store at render; every change goes through the JSON API and the page is loaded again.
import type { AuditRow } from "../../audit/audit-log.ts";
import { listUserDevices } from "../../store/devices.ts";
import { listGroups } from "../../store/groups.ts";
import { getUserInfo, type UserInfo } from "../../store/users.ts";
import { ActionButton, ApiForm, Badge, Field, LinkForm, Submit, When } from "../components.tsx";
import { DeviceList } from "../device-list.tsx";
import { userDeviceConnections } from "../vpn-status.ts";
import { type UiPage, param } from "../page.ts";
import { NotFoundView } from "./status-views.tsx";

const AUDIT_EVENTS_SHOWN = 20;

function api(user: UserInfo, rest = ""): string {
  return `/api/v1/user/${encodeURIComponent(user.username)}${rest}`;
}

function Details(props: { user: UserInfo }) {
  const u = props.user;
  return (
    <section class="panel" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <ApiForm action={api(u)} method="PUT" done="reload" label="Details">
        <Field name="first_name" label="First name" value={u.first_name} required />
        <Field name="last_name" label="Last name" value={u.last_name} required />
        <Field name="email" label="Email" type="email" value={u.email} required />
        <Field name="phone" label="Phone" type="tel" value={u.phone} kind="nullable" />
        <Submit label="Save details" />
      </ApiForm>
    </section>
  );
}

function Access(props: { user: UserInfo; self: boolean }) {
  const u = props.user;
  return (
    <section class="panel" aria-labelledby="access-title">
      <h2 id="access-title">Account</h2>
      <p>
        {u.is_active ? <Badge tone="ok">active</Badge> : <Badge tone="bad">disabled</Badge>} {u.enrolled ? <Badge tone="ok">enrolled</Badge> : <Badge tone="warn">not enrolled</Badge>}{" "}
        {u.mfa_enabled ? <Badge tone="muted">{`MFA: ${[u.totp_enabled && "TOTP", u.email_mfa_enabled && "email codes"].filter(Boolean).join(", ")}`}</Badge> : <Badge tone="muted">no MFA</Badge>}
      </p>
      <div class="actions">
        {u.is_active ? (
          <ActionButton action={api(u)} method="PUT" body={{ is_active: false }} done="reload" label="Disable user" confirm={`Disable ${u.username}? They are signed out and lose VPN access.`} />
        ) : (
          <ActionButton action={api(u)} method="PUT" body={{ is_active: true }} done="reload" label="Enable user" />
        )}
        {u.mfa_enabled ? <ActionButton action={api(u, "/mfa")} method="DELETE" done="reload" label="Turn off MFA" confirm={`Turn off every second factor of ${u.username}? They sign in with a password alone until they set one up again.`} /> : null}
        {props.self ? null : <ActionButton action={api(u)} method="DELETE" done="go:/ui/users" label="Delete user" danger confirm={`Delete ${u.username} and all their devices? This cannot be undone.`} />}
      </div>
    </section>
  );
}

function Links(props: { user: UserInfo }) {
  const u = props.user;
  return (
    <section class="panel" aria-labelledby="links-title">
      <h2 id="links-title">Links</h2>
      {u.enrolled ? null : (
        <>
          <h3>Enrollment</h3>
          <p class="hint">The user sets their password, sets up MFA if asked and adds a device on the enrollment pages.</p>
          <LinkForm action={api(u, "/start_enrollment")} label="Make an enrollment link" id="enrollment-link" mailTo={u.email} mailField="send_enrollment_notification" out="enrollment_url" />
        </>
      )}
      {u.enrolled && u.is_active ? (
        <>
          <h3>Desktop client</h3>
          <p class="hint">Adds this instance to the user's Defguard desktop client.</p>
          <LinkForm action={api(u, "/start_desktop")} label="Make a desktop-client activation link" id="desktop-link" mailTo={u.email} mailField="send_enrollment_notification" out="enrollment_url" />
          <h3>Password reset</h3>
          <p class="hint">The user chooses a new password on the enrollment pages; the old one works until then.</p>
          <LinkForm action={api(u, "/reset_password")} label="Make a password-reset link" id="reset-link" mailTo={u.email} mailField="send_mail" out="reset_url" />
        </>
      ) : null}
      {!u.enrolled || u.is_active ? null : <p class="empty">Enable the account to make links for it.</p>}
    </section>
  );
}

function Groups(props: { user: UserInfo; all: string[] }) {
  const u = props.user;
  const others = props.all.filter((g) => !u.groups.includes(g));
  return (
    <section class="panel" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      {u.groups.length === 0 ? <p class="empty">In no group.</p> : null}
      <ul class="plain-list">
        {u.groups.map((g) => (
          <li class="row-between">
            <a href={`/ui/groups/${encodeURIComponent(g)}`}>{g}</a>
            <ActionButton action={`/api/v1/group/${encodeURIComponent(g)}/user/${encodeURIComponent(u.username)}`} method="DELETE" done="reload" label="Remove" hiddenLabel={`from ${g}`} />
          </li>
        ))}
      </ul>
      {others.length ? (
        <ApiForm action={`/api/v1/group/{group}/user/${encodeURIComponent(u.username)}`} done="reload" label="Add to a group" class="inline-fields">
          <div class="field">
            <label for="add-group">Add to group</label>
            <select id="add-group" name="group" data-path-only>
              {others.map((g) => (
                <option value={g}>{g}</option>
              ))}
            </select>
          </div>
          <Submit label="Add" />
        </ApiForm>
      ) : null}
    </section>
  );
}

function AuditEvents(props: { events: AuditRow[] | undefined }) {
  if (!props.events) return <p class="empty">The audit trail is off on this Core.</p>;
  if (props.events.length === 0) return <p class="empty">No events yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Outcome</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>
                <When at={e.occurred_at} />
              </td>
              <td>{e.event.replaceAll("_", " ")}</td>
              <td>{e.outcome === "success" ? <Badge tone="ok">success</Badge> : <Badge tone="bad">failure</Badge>}</td>
              <td>{e.ip_address ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const userPage: UiPage = {
  path: "/ui/users/:username",
  name: "user",
  access: "admin",
  async render({ c, deps, viewer }) {
    const user = await getUserInfo(deps.sql, param(c, "username"));
    if (!user) return NotFoundView();
    const [devices, connections, groups, events] = await Promise.all([
      listUserDevices(deps.sql, user.username),
      userDeviceConnections(deps.sql, user.id),
      listGroups(deps.sql),
      deps.audit?.list({ limit: AUDIT_EVENTS_SHOWN, username: user.username }),
    ]);
    return {
      title: user.username,
      body: (
        <>
          <p class="breadcrumb">
            <a href="/ui/users">Users</a> /
          </p>
          <h1>{`${user.first_name} ${user.last_name}`}</h1>
          <p class="subtitle">{user.username}</p>
          <div class="grid">
            <Details user={user} />
            <Access user={user} self={user.id === viewer.userId} />
            <Groups user={user} all={groups.map((g) => g.name)} />
            <Links user={user} />
          </div>
          <section class="panel" aria-labelledby="devices-title">
            <h2 id="devices-title">Devices</h2>
            <DeviceList devices={devices} connections={connections} />
          </section>
          <section class="panel" aria-labelledby="events-title">
            <h2 id="events-title">Recent events</h2>
            <AuditEvents events={events} />
          </section>
        </>
      ),
    };
  },
};
