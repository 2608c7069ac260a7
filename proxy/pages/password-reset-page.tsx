// `/password-reset`: without a token, ask for the account's email and say "check your inbox"; with the
// token from that mail, choose a new password (same rules as enrollment) and say it is done.
// client/password-reset.ts drives the views.
import { ErrorLine, PasswordFields, ProblemView, UNAVAILABLE_MESSAGE, UNAVAILABLE_TITLE } from "./components.tsx";
import { Layout } from "./layout.tsx";

function RequestViews(props: { coreConnected: boolean }) {
  return (
    <>
      <section data-view="request">
        <h1>Reset your password</h1>
        {props.coreConnected ? null : (
          <p class="notice warning" role="status">
            {UNAVAILABLE_MESSAGE}
          </p>
        )}
        <p>Enter the email address of your account. We will send you a link to choose a new password.</p>
        <form id="reset-request-form" class="stack" novalidate>
          <div class="field">
            <label for="reset-email">Email address</label>
            <input id="reset-email" name="email" type="email" autocomplete="email" required maxlength={254} />
          </div>
          <ErrorLine />
          <div class="actions">
            <button type="submit" class="button">
              Send me a link
            </button>
          </div>
        </form>
      </section>
      <section data-view="sent" hidden>
        <h1>Check your inbox</h1>
        <p>
          If <strong id="reset-sent-email"></strong> belongs to an account, a message with a link to reset the password is on its way.
          The link works for a limited time.
        </p>
        <p class="hint" id="reset-sent-hint">
          Nothing arrived after a few minutes? Look in your spam folder. Still nothing: ask your administrator, who can check
          that this server sends mail (this page cannot tell).
        </p>
      </section>
    </>
  );
}

function ResetViews() {
  return (
    <>
      <section data-view="loading">
        <h1>Opening your link…</h1>
      </section>
      <section data-view="choose" hidden>
        <h1>Choose a new password</h1>
        <p class="session-time">
          Time left: <strong data-time-left>…</strong>
        </p>
        <form id="reset-password-form" class="stack" novalidate>
          <PasswordFields id="reset" />
          <ErrorLine />
          <div class="actions">
            <button type="submit" class="button" disabled>
              Change my password
            </button>
          </div>
        </form>
      </section>
      <section data-view="changed" hidden>
        <h1>Your password was changed</h1>
        <p>Sign in with your new password. Sessions opened with the old one have been ended.</p>
      </section>
    </>
  );
}

export function PasswordResetPage(props: { coreConnected: boolean; hasToken: boolean; selfHref: string }) {
  const unavailable = !props.coreConnected && props.hasToken;
  return (
    <Layout title="Password reset" page="password-reset">
      <div id="password-reset" class="views" data-mode={props.hasToken ? "reset" : "request"}>
        {unavailable ? (
          <ProblemView hidden={false} title={UNAVAILABLE_TITLE} message={UNAVAILABLE_MESSAGE} retryHref={props.selfHref} />
        ) : (
          <>
            <ProblemView extraAction={{ href: "/password-reset", label: "Ask for a new link" }} />
            {props.hasToken ? <ResetViews /> : <RequestViews coreConnected={props.coreConnected} />}
          </>
        )}
      </div>
    </Layout>
  );
}
