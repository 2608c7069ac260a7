// Groups (admins): the list with member counts and the locations each opens, creating one; and one
// group's page: rename, delete, members (add, remove).
import { ADMIN_GROUP, type GroupInfo, listGroups } from "../../store/groups.ts";
import { type NetworkInfo, listNetworks } from "../../store/networks.ts";
import { ActionButton, ApiForm, Field, Submit } from "../components.tsx";
import { type UiPage, param } from "../page.ts";
import { NotFoundView } from "./status-views.tsx";

/** The names of the locations `group` opens: those allowing it, and those open to everyone. */
export function locationsOpenedBy(group: string, networks: NetworkInfo[]): { named: string[]; open: string[] } {
  return {
    named: networks.filter((n) => n.allowed_groups.includes(group)).map((n) => n.name),
    open: networks.filter((n) => n.allowed_groups.length === 0).map((n) => n.name),
  };
}

function Locations(props: { group: string; networks: NetworkInfo[] }) {
  const { named, open } = locationsOpenedBy(props.group, props.networks);
  return (
    <span>
      {named.length ? named.join(", ") : "none of its own"}
      {open.length ? <span class="hint">{` (everyone: ${open.join(", ")})`}</span> : null}
    </span>
  );
}

export const groupsPage: UiPage = {
  path: "/ui/groups",
  name: "groups",
  access: "admin",
  async render({ deps }) {
    const [groups, networks] = await Promise.all([listGroups(deps.sql), listNetworks(deps.sql)]);
    return {
      title: "Groups",
      body: (
        <>
          <h1>Groups</h1>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col" class="number">Members</th>
                  <th scope="col">Locations it opens</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr>
                    <th scope="row">
                      <a href={`/ui/groups/${encodeURIComponent(g.name)}`}>{g.name}</a>
                    </th>
                    <td class="number">{g.members.length}</td>
                    <td>
                      <Locations group={g.name} networks={networks} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section class="panel" aria-labelledby="new-group-title">
            <h2 id="new-group-title">New group</h2>
            <ApiForm action="/api/v1/group" done="go:/ui/groups/{name}" class="inline-fields" label="New group">
              <Field name="name" label="Name" required autocomplete="off" />
              <Submit label="Create group" />
            </ApiForm>
          </section>
        </>
      ),
    };
  },
};

function Members(props: { group: GroupInfo }) {
  const g = props.group;
  const api = (username: string) => `/api/v1/group/${encodeURIComponent(g.name)}/user/${encodeURIComponent(username)}`;
  return (
    <section class="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {g.members.length === 0 ? <p class="empty">No members.</p> : null}
      <ul class="plain-list">
        {g.members.map((m) => (
          <li class="row-between">
            <a href={`/ui/users/${encodeURIComponent(m)}`}>{m}</a>
            <ActionButton action={api(m)} method="DELETE" done="reload" label="Remove" hiddenLabel={m} />
          </li>
        ))}
      </ul>
      <ApiForm action={`/api/v1/group/${encodeURIComponent(g.name)}/user/{username}`} done="reload" class="inline-fields" label="Add a member">
        <div class="field">
          <label for="member-username">Add a member by username</label>
          <input id="member-username" name="username" type="text" required autocomplete="off" data-path-only aria-describedby="member-username-error" />
          <p class="field-error" id="member-username-error" data-field-error="username" hidden></p>
        </div>
        <Submit label="Add member" />
      </ApiForm>
    </section>
  );
}

export const groupPage: UiPage = {
  path: "/ui/groups/:name",
  name: "group",
  access: "admin",
  async render({ c, deps }) {
    const name = param(c, "name");
    const [groups, networks] = await Promise.all([listGroups(deps.sql), listNetworks(deps.sql)]);
    const group = groups.find((g) => g.name === name);
    if (!group) return NotFoundView();
    const api = `/api/v1/group/${encodeURIComponent(group.name)}`;
    return {
      title: `Group ${group.name}`,
      body: (
        <>
          <p class="breadcrumb">
            <a href="/ui/groups">Groups</a> /
          </p>
          <h1>{`Group ${group.name}`}</h1>
          <p>
            Locations it opens: <Locations group={group.name} networks={networks} />
          </p>
          <div class="grid">
            <Members group={group} />
            <section class="panel" aria-labelledby="rename-title">
              <h2 id="rename-title">Rename or delete</h2>
              {group.name === ADMIN_GROUP ? (
                <p class="empty">The admin group cannot be renamed or deleted: its members are the administrators.</p>
              ) : (
                <>
                  <ApiForm action={api} method="PUT" done="go:/ui/groups/{name}" label="Rename">
                    <Field name="name" label="New name" value={group.name} required autocomplete="off" id="rename-name" />
                    <Submit label="Rename group" />
                  </ApiForm>
                  <div class="actions">
                    <ActionButton action={api} method="DELETE" done="go:/ui/groups" label="Delete group" danger confirm={`Delete group ${group.name}? Its members lose the locations only it opened.`} />
                  </div>
                </>
              )}
            </section>
          </div>
        </>
      ),
    };
  },
};
