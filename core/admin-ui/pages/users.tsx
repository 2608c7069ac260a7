// Users (admins): a search and a page of the list rendered from the store (store/user-search.ts), and
// the form that adds one (POST /api/v1/user), which then opens the new user's page.
import { ApiForm, Badge, Field, Pagination, Submit } from "../components.tsx";
import type { UiPage } from "../page.ts";
import { MAX_SEARCH_LENGTH, type UserListRow, searchUsers } from "../../store/user-search.ts";

function UserRow(props: { user: UserListRow }) {
  const u = props.user;
  return (
    <tr>
      <th scope="row">
        <a href={`/ui/users/${encodeURIComponent(u.username)}`}>{u.username}</a>
      </th>
      <td class="wrap">
        {`${u.first_name} ${u.last_name}`}
        <span class="hint block">{u.email}</span>
      </td>
      <td>
        {u.is_active ? <Badge tone="ok">active</Badge> : <Badge tone="bad">disabled</Badge>}{" "}
        {u.enrolled ? null : <Badge tone="warn">not enrolled</Badge>} {u.is_admin ? <Badge tone="muted">admin</Badge> : null}{" "}
        {u.mfa_enabled ? <Badge tone="muted">MFA</Badge> : null}
      </td>
      <td class="number">{u.device_count}</td>
    </tr>
  );
}

export const usersPage: UiPage = {
  path: "/ui/users",
  name: "users",
  access: "admin",
  async render({ c, deps }) {
    const search = (c.req.query("search") ?? "").slice(0, MAX_SEARCH_LENGTH);
    const result = await searchUsers(deps.sql, { search, page: Number(c.req.query("page") ?? 1) || 1 });
    return {
      title: "Users",
      body: (
        <>
          <h1>Users</h1>
          <form class="search" method="get" action="/ui/users" role="search">
            <label for="user-search">Search users</label>
            <div class="search-row">
              <input id="user-search" name="search" type="search" value={search} maxlength={MAX_SEARCH_LENGTH} placeholder="name, username or email" />
              <button type="submit" class="button">
                Search
              </button>
            </div>
          </form>
          {result.rows.length === 0 ? (
            <p class="empty">{search ? `No user matches “${search}”.` : "No users yet."}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Users</caption>
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Name and email</th>
                    <th scope="col">State</th>
                    <th scope="col" class="number">Devices</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((user) => (
                    <UserRow user={user} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination base="/ui/users" query={search ? { search } : {}} page={result.page} pages={result.pages} total={result.total} noun="users" />
          <details class="panel" id="add-user">
            <summary>Add a user</summary>
            <ApiForm action="/api/v1/user" done="go:/ui/users/{username}" label="Add a user">
              <Field name="username" label="Username" required autocomplete="off" />
              <Field name="first_name" label="First name" required autocomplete="off" />
              <Field name="last_name" label="Last name" required autocomplete="off" />
              <Field name="email" label="Email" type="email" required autocomplete="off" />
              <Field name="phone" label="Phone" type="tel" autocomplete="off" />
              <Submit label="Add user" />
            </ApiForm>
          </details>
        </>
      ),
    };
  },
};
