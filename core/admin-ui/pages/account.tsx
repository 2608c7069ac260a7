// My account, for every signed-in user: their profile, password, sign-in methods and devices. A
// non-admin sees only this section.
import { listUserDevices } from "../../store/devices.ts";
import { getUserInfoById } from "../../store/users.ts";
import { Badge } from "../components.tsx";
import type { UiPage } from "../page.ts";
import { DeviceList } from "./user.tsx";

export const accountPage: UiPage = {
  path: "/ui/account",
  name: "account",
  access: "user",
  async render({ deps, viewer }) {
    const user = await getUserInfoById(deps.sql, viewer.userId);
    if (!user) throw new Error("signed-in user without a row");
    const devices = await listUserDevices(deps.sql, user.username);
    return {
      title: "My account",
      body: (
        <>
          <h1>My account</h1>
          <div class="grid">
            <section class="panel" aria-labelledby="profile-title">
              <h2 id="profile-title">Profile</h2>
              <dl class="facts">
                <dt>Name</dt>
                <dd>{`${user.first_name} ${user.last_name}`}</dd>
                <dt>Username</dt>
                <dd>{user.username}</dd>
                <dt>Email</dt>
                <dd>{user.email}</dd>
                <dt>Phone</dt>
                <dd>{user.phone ?? "—"}</dd>
                <dt>Groups</dt>
                <dd>{user.groups.join(", ") || "none"}</dd>
              </dl>
            </section>
            <section class="panel" aria-labelledby="password-title">
              <h2 id="password-title">Password</h2>
              <p>
                <a class="button secondary" href="/ui/change-password">
                  Change my password
                </a>
              </p>
              <h3>Second factor</h3>
              <p>{user.mfa_enabled ? <Badge tone="ok">on</Badge> : <Badge tone="warn">off</Badge>}</p>
            </section>
          </div>
          <section class="panel" aria-labelledby="devices-title">
            <h2 id="devices-title">My devices</h2>
            <DeviceList devices={devices} removable={false} />
          </section>
        </>
      ),
    };
  },
};
