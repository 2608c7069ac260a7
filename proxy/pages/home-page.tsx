// `/` without a token: the two things a person comes here for, enrolling with the token an admin sent,
// or resetting a forgotten password. Plain forms: this page works without the client script.
import { UNAVAILABLE_MESSAGE } from "./components.tsx";
import { Layout } from "./layout.tsx";

export function HomePage(props: { coreConnected: boolean; tokenError?: string }) {
  return (
    <Layout title="Welcome" page="home">
      <h1>Welcome</h1>
      {props.coreConnected ? null : (
        <p class="notice warning" role="status">
          {UNAVAILABLE_MESSAGE}
        </p>
      )}
      <div class="choices">
        <section class="choice" aria-labelledby="enroll-title">
          <h2 id="enroll-title">Set up your account</h2>
          <p>Paste the enrollment token (or the whole link) your administrator sent you.</p>
          <form action="/enrollment" method="get" class="stack">
            <div class="field">
              <label for="enroll-token">Enrollment token</label>
              <input
                id="enroll-token"
                name="token"
                type="text"
                required
                autocomplete="off"
                autocapitalize="off"
                spellcheck={false}
                aria-describedby={props.tokenError ? "enroll-token-error" : undefined}
                aria-invalid={props.tokenError ? "true" : undefined}
              />
              {props.tokenError ? (
                <p class="field-error" id="enroll-token-error" role="alert">
                  {props.tokenError}
                </p>
              ) : null}
            </div>
            <button type="submit" class="button">
              Start enrollment
            </button>
          </form>
        </section>
        <section class="choice" aria-labelledby="reset-title">
          <h2 id="reset-title">Forgot your password?</h2>
          <p>We will email you a link to choose a new one.</p>
          <a class="button secondary" href="/password-reset">
            Reset my password
          </a>
        </section>
      </div>
    </Layout>
  );
}
