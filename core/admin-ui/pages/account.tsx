// My account, for every signed-in user: their profile, password, second factors (TOTP, email codes,
// recovery codes), their devices (add one with keys made in the browser, remove), and a desktop-client
// activation link for themselves. A non-admin sees only this section.
import { smtpConfigured } from "../../mail/smtp-settings.ts";
import { listUserDevices } from "../../store/devices.ts";
import { getSettings } from "../../store/settings.ts";
import { type UserInfo, getUserInfoById } from "../../store/users.ts";
import { ActionButton, Badge, ErrorLine, Field, LinkForm } from "../components.tsx";
import { DeviceAddForm, DeviceList } from "../device-list.tsx";
import type { UiPage } from "../page.ts";
import { userDeviceConnections } from "../vpn-status.ts";

function Profile(props: { user: UserInfo }) {
  const u = props.user;
  return (
    <section class="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{`${u.first_name} ${u.last_name}`}</dd>
        <dt>Username</dt>
        <dd>{u.username}</dd>
        <dt>Email</dt>
        <dd>{u.email}</dd>
        <dt>Phone</dt>
        <dd>{u.phone ?? "—"}</dd>
        <dt>Groups</dt>
        <dd>{u.groups.join(", ") || "none"}</dd>
      </dl>
      <p>
        <a class="button secondary" href="/ui/change-password">
          Change my password
        </a>
      </p>
    </section>
  );
}

/** A code form of a method's setup, revealed by the client once the setup started. */
function CodeStep(props: { method: "totp" | "email"; prompt: string }) {
  return (
    <form class="stack" data-mfa-confirm={props.method} hidden aria-label={`Confirm ${props.method === "totp" ? "TOTP" : "email codes"}`}>
      <p>{props.prompt}</p>
      <Field name="code" label={props.method === "totp" ? "Code from the app" : "Code from the mail"} required autocomplete="one-time-code" id={`${props.method}-code`} maxlength={12} />
      <div class="actions">
        <button type="submit" class="button">
          Turn on
        </button>
      </div>
      <ErrorLine />
    </form>
  );
}

function SecondFactors(props: { user: UserInfo; mail: boolean }) {
  const u = props.user;
  return (
    <section class="panel" aria-labelledby="mfa-title" data-mfa>
      <h2 id="mfa-title">Two-factor sign-in</h2>
      <h3>Authenticator app (TOTP)</h3>
      {u.totp_enabled ? (
        <div class="row-between">
          <Badge tone="ok">on</Badge>
          <ActionButton action="/api/v1/auth/totp" method="DELETE" done="reload" label="Turn off TOTP" confirm="Turn off codes from your authenticator app?" />
        </div>
      ) : (
        <div data-mfa-setup="totp">
          <button type="button" class="button secondary" data-mfa-start="totp">
            Set up an authenticator app
          </button>
          <div data-totp-secret hidden>
            <p>Scan this QR code with your authenticator app, or type the key into it:</p>
            <div class="qr" data-totp-qr></div>
            <p>
              <code class="secret" data-totp-key></code>
            </p>
          </div>
          <CodeStep method="totp" prompt="Then enter the 6-digit code the app shows." />
        </div>
      )}
      <h3>Email codes</h3>
      {u.email_mfa_enabled ? (
        <div class="row-between">
          <Badge tone="ok">on</Badge>
          <ActionButton action="/api/v1/auth/email" method="DELETE" done="reload" label="Turn off email codes" confirm="Turn off codes sent by mail?" />
        </div>
      ) : props.mail ? (
        <div data-mfa-setup="email">
          <button type="button" class="button secondary" data-mfa-start="email">
            Set up email codes
          </button>
          <CodeStep method="email" prompt={`We mailed a 6-digit code to ${u.email}: enter it here.`} />
        </div>
      ) : (
        <p class="empty">Mail is not configured on this server, so codes cannot be mailed.</p>
      )}
      <p class="error" data-mfa-error role="alert" aria-live="assertive"></p>
      <h3>Recovery codes</h3>
      {u.mfa_enabled ? (
        <button type="button" class="button secondary" data-recovery-renew>
          Make new recovery codes
        </button>
      ) : (
        <p class="empty">You get recovery codes when you turn on a second factor.</p>
      )}
      <div data-recovery hidden tabindex={-1}>
        <p>
          <strong>Save these recovery codes now.</strong> Each signs you in once when you cannot use your second factor; they are not shown again, and any older
          codes no longer work.
        </p>
        <ol class="recovery-codes" data-recovery-list></ol>
        <a class="button secondary" href="">
          I saved them
        </a>
      </div>
    </section>
  );
}

export const accountPage: UiPage = {
  path: "/ui/account",
  name: "account",
  access: "user",
  async render({ deps, viewer }) {
    const user = await getUserInfoById(deps.sql, viewer.userId);
    if (!user) throw new Error("signed-in user without a row");
    const [devices, connections, mail, settings] = await Promise.all([
      listUserDevices(deps.sql, user.username),
      userDeviceConnections(deps.sql, user.id),
      smtpConfigured(deps.sql, deps.config),
      getSettings(deps.sql),
    ]);
    const mayAddDevices = viewer.isAdmin || !settings.admin_device_management;
    return {
      title: "My account",
      body: (
        <>
          <h1>My account</h1>
          <div class="grid">
            <Profile user={user} />
            <SecondFactors user={user} mail={mail} />
          </div>
          <section class="panel" aria-labelledby="devices-title">
            <h2 id="devices-title">My devices</h2>
            <DeviceList devices={devices} connections={connections} />
            <h3>Add a device</h3>
            {mayAddDevices ? <DeviceAddForm username={user.username} /> : <p class="empty">Only administrators add devices on this server: ask yours.</p>}
          </section>
          <section class="panel" aria-labelledby="desktop-title">
            <h2 id="desktop-title">Desktop client</h2>
            <p class="hint">Adds this server to the Defguard desktop client on your computer: open the link there, or paste it into the client.</p>
            <LinkForm action={`/api/v1/user/${encodeURIComponent(user.username)}/start_desktop`} label="Make an activation link" id="desktop-link" mailTo={user.email} mailField="send_enrollment_notification" out="enrollment_url" />
          </section>
        </>
      ),
    };
  },
};
