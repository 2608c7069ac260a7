// Settings (admins): the instance's name, the enrollment pages' welcome text (with a preview rendered as
// the Proxy renders it, client/settings.ts) and rules, the welcome mail (subject and Markdown, or the
// welcome text, with a preview of the mail), the mail server with a test mail that reports the server's
// answer, and the mail outbox with each mail's state, attempts and last error ("retry now").
import { listOutbox, type OutboxEntry } from "../../mail/outbox.ts";
import { publicSmtpSettings, resolveSmtpSettings } from "../../mail/smtp-settings.ts";
import { MARKDOWN_MAX_CHARS, WELCOME_SUBJECT_MAX_CHARS, getSettings, type Settings } from "../../store/settings.ts";
import { findUserById } from "../../store/users.ts";
import { ActionButton, ApiForm, Badge, Checkbox, Field, Submit, When } from "../components.tsx";
import { SelectField, TextAreaField } from "../form-fields.tsx";
import { Table } from "../table.tsx";
import type { UiPage } from "../page.ts";

const OUTBOX_SHOWN = 50;
/** Every override dropped: the DEFGUARD_SMTP_* environment applies again. */
const SMTP_FROM_ENVIRONMENT = { smtp_host: null, smtp_port: null, smtp_user: null, smtp_password: null, smtp_sender: null, smtp_encryption: null };
const STATE_TONE = { pending: "warn", sending: "muted", sent: "ok", failed: "bad" } as const;

function Enrollment(props: { settings: Settings }) {
  const s = props.settings;
  return (
    <section class="panel" aria-labelledby="enrollment-title">
      <h2 id="enrollment-title">Enrollment</h2>
      <ApiForm action="/api/v1/settings" method="PATCH" done="reload" label="Enrollment">
        <TextAreaField name="enrollment_welcome_message" label="Welcome message (Markdown)" value={s.enrollment_welcome_message} rows={8} maxlength={MARKDOWN_MAX_CHARS} required hint="Shown when enrollment is done; {first_name}, {last_name} and {username} are filled in." />
        <div class="field">
          <p class="field-title" id="welcome-preview-title">Preview, as the enrollment page shows it to Alice Example</p>
          <div class="markdown-preview" id="welcome-preview" aria-labelledby="welcome-preview-title" aria-live="polite"></div>
        </div>
        <Checkbox name="enrollment_mfa_required" label="Users must set up MFA during enrollment" checked={s.enrollment_mfa_required} />
        <Checkbox name="enrollment_vpn_step_optional" label="Adding a VPN device during enrollment is optional" checked={s.enrollment_vpn_step_optional} />
        <Checkbox name="admin_device_management" label="Only administrators may add devices" checked={s.admin_device_management} />
        <Checkbox name="only_client_activation" label="Enrollment only through the Defguard desktop client" checked={s.only_client_activation} />
        <Submit label="Save enrollment settings" />
      </ApiForm>
    </section>
  );
}

/** The mail each user gets when their enrollment is done; client/settings.ts keeps the preview and the body's state. */
function WelcomeMail(props: { settings: Settings }) {
  const s = props.settings;
  const usesMessage = s.enrollment_use_welcome_message_as_email;
  return (
    <section class="panel" aria-labelledby="welcome-mail-title">
      <h2 id="welcome-mail-title">Welcome mail</h2>
      <p class="hint">Sent to each user when their enrollment is done (while a mail server is configured), with a button to sign in.</p>
      <ApiForm action="/api/v1/settings" method="PATCH" done="reload" label="Welcome mail">
        <Field name="enrollment_welcome_email_subject" label="Subject" value={s.enrollment_welcome_email_subject} required maxlength={WELCOME_SUBJECT_MAX_CHARS} hint={`One line, after the instance's name ("${s.instance_name}: …"); {first_name}, {last_name} and {username} are filled in.`} />
        <Checkbox name="enrollment_use_welcome_message_as_email" label="Send the enrollment welcome message as the mail's text" checked={usesMessage} />
        <p class="notice" id="welcome-email-uses-message" role="status" hidden={!usesMessage}>
          The mail says the welcome message of the Enrollment section. The text below is kept but not sent.
        </p>
        <TextAreaField name="enrollment_welcome_email" label="Mail text (Markdown)" value={s.enrollment_welcome_email} rows={8} maxlength={MARKDOWN_MAX_CHARS} required disabled={usesMessage} hint="{first_name}, {last_name} and {username} are filled in; HTML is shown as text." />
        <div class="field">
          <p class="field-title" id="welcome-email-preview-title">Preview of the mail Alice Example gets</p>
          <div class="markdown-preview" aria-labelledby="welcome-email-preview-title" aria-live="polite">
            <p>
              <strong>Subject:</strong> <span id="welcome-email-subject-preview" data-instance-name={s.instance_name}></span>
            </p>
            <div id="welcome-email-preview"></div>
          </div>
        </div>
        <Submit label="Save welcome mail" />
      </ApiForm>
    </section>
  );
}

function MailServer(props: { smtp: ReturnType<typeof publicSmtpSettings>; adminEmail: string }) {
  const m = props.smtp;
  return (
    <section class="panel" aria-labelledby="smtp-title">
      <h2 id="smtp-title">Mail server</h2>
      <p>{m.smtp_configured ? <Badge tone="ok">configured</Badge> : <Badge tone="bad">not configured: mail waits in the outbox</Badge>}</p>
      <ApiForm action="/api/v1/settings/smtp" method="PATCH" done="reload" label="Mail server">
        <Field name="smtp_host" label="SMTP host" value={m.smtp_host} autocomplete="off" />
        <Field name="smtp_port" label="Port" type="number" kind="number" value={m.smtp_port ?? 587} />
        <SelectField name="smtp_encryption" label="Encryption" options={[{ value: "starttls", label: "STARTTLS" }, { value: "tls", label: "TLS" }, { value: "none", label: "None" }]} selected={[m.smtp_encryption ?? "starttls"]} />
        <Field name="smtp_user" label="User" value={m.smtp_user} autocomplete="off" />
        <Field name="smtp_password" label="Password" type="password" autocomplete="new-password" hint={m.smtp_password_set ? "A password is set; leave empty to keep it." : "No password is set."} />
        <Field name="smtp_sender" label="Sender" value={m.smtp_sender} autocomplete="off" hint="The From of every mail, e.g. VPN <vpn@example.com>" />
        <Submit label="Save mail server" />
      </ApiForm>
      <div class="actions">
        <ActionButton action="/api/v1/settings/smtp" method="PATCH" body={SMTP_FROM_ENVIRONMENT} done="reload" label="Use the environment's mail server" confirm="Drop the mail server set here and use DEFGUARD_SMTP_* again?" />
      </div>
      <h3>Test mail</h3>
      <ApiForm action="/api/v1/mail/test" done="show:test-mail-result" label="Send a test mail" class="inline-fields">
        <Field name="to" label="To" type="email" value={props.adminEmail} required id="test-mail-to" />
        <Submit label="Send a test mail" />
      </ApiForm>
      <div id="test-mail-result" class="notice" role="status" hidden tabindex={-1}>
        <p>
          Sent through <span data-out="smtp"></span>. The server answered: <code data-out="response"></code>
        </p>
      </div>
    </section>
  );
}

function Outbox(props: { mails: OutboxEntry[] }) {
  if (props.mails.length === 0) return <p class="empty">No mail yet.</p>;
  return (
    <Table caption="Mail outbox" columns={["Mail", "State", { label: "Attempts", number: true }, "Last error", "Retry"]} wide>
      {props.mails.map((m) => (
        <tr>
          <th scope="row" class="wrap">
            {m.subject}
            <span class="hint block">
              {`to ${m.to}, ${m.kind.replaceAll("_", " ")}, `}
              <When at={m.created_at} />
            </span>
          </th>
          <td>
            <Badge tone={STATE_TONE[m.state]}>{m.state}</Badge>
            {m.state === "pending" && m.next_attempt_at ? (
              <span class="hint block">
                next <When at={m.next_attempt_at} />
              </span>
            ) : null}
          </td>
          <td class="number">{m.attempts}</td>
          <td class="wrap">{m.last_error ?? "—"}</td>
          <td>{m.state === "pending" ? <ActionButton action={`/api/v1/mail/outbox/${m.id}/retry`} done="reload" label={`Retry mail ${m.id} now`} /> : null}</td>
        </tr>
      ))}
    </Table>
  );
}

export const settingsPage: UiPage = {
  path: "/ui/settings",
  name: "settings",
  access: "admin",
  async render({ deps, viewer }) {
    const [settings, smtp, mails, admin] = await Promise.all([
      getSettings(deps.sql),
      resolveSmtpSettings(deps.sql, deps.config),
      listOutbox(deps.sql, { limit: OUTBOX_SHOWN }),
      findUserById(deps.sql, viewer.userId),
    ]);
    return {
      title: "Settings",
      body: (
        <>
          <h1>Settings</h1>
          <div class="grid">
            <section class="panel" aria-labelledby="general-title">
              <h2 id="general-title">Instance</h2>
              <ApiForm action="/api/v1/settings" method="PATCH" done="reload" label="Instance">
                <Field name="instance_name" label="Instance name" value={settings.instance_name} required maxlength={64} hint="Shown in page titles, mails and the desktop client" />
                <Submit label="Save name" />
              </ApiForm>
            </section>
            <MailServer smtp={publicSmtpSettings(smtp)} adminEmail={admin?.email ?? ""} />
          </div>
          <Enrollment settings={settings} />
          <WelcomeMail settings={settings} />
          <section class="panel" aria-labelledby="outbox-title" id="live-outbox" data-live>
            <h2 id="outbox-title">Mail outbox</h2>
            <Outbox mails={mails} />
          </section>
        </>
      ),
    };
  },
};
