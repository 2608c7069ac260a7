// `/enrollment?token=` (and `/?token=`): every step of the enrollment, rendered here and shown one at a
// time by client/enrollment.ts, which fills in what the Core answered to enrollment/start.
import { ErrorLine, PasswordFields, ProblemView, UNAVAILABLE_MESSAGE, UNAVAILABLE_TITLE } from "./components.tsx";
import { ConfigStep, DeviceStep, MfaStep } from "./enrollment-device-steps.tsx";
import { Layout } from "./layout.tsx";

/** The steps in the progress list, in order; `mfa` is hidden by the client unless the settings ask for it. */
export const ENROLLMENT_STEPS = [
  { id: "welcome", label: "Welcome" },
  { id: "personal", label: "Your details" },
  { id: "password", label: "Password" },
  { id: "mfa", label: "Two-factor" },
  { id: "device", label: "VPN device" },
  { id: "done", label: "Done" },
] as const;

function Progress() {
  return (
    <nav aria-label="Enrollment progress">
      <ol class="progress" id="enrollment-progress">
        {ENROLLMENT_STEPS.map((step) => (
          <li data-step={step.id}>{step.label}</li>
        ))}
      </ol>
    </nav>
  );
}

function WelcomeStep() {
  return (
    <section data-view="welcome" hidden>
      <h1>
        Welcome, <span data-field="first_name"></span>
      </h1>
      <p>
        Your administrator invited you to <strong data-field="instance_name"></strong>. In a few steps you will set a password
        and get the configuration of your VPN.
      </p>
      <div class="contact" id="admin-contact">
        <h2 class="small-heading">Need help? Your administrator</h2>
        <p data-field="admin_name"></p>
        <p>
          <a data-field="admin_email" href="#"></a>
        </p>
        <p data-admin-phone hidden>
          <a data-field="admin_phone" href="#"></a>
        </p>
      </div>
      <p class="session-time">
        Time left to finish: <strong data-time-left>…</strong>
      </p>
      <div class="actions">
        <button type="button" class="button" id="welcome-start">
          Let's start
        </button>
      </div>
    </section>
  );
}

function PersonalStep() {
  return (
    <section data-view="personal" hidden>
      <h2>Your details</h2>
      <form id="personal-form" class="stack" novalidate>
        <dl class="facts">
          <dt>Name</dt>
          <dd data-field="full_name"></dd>
          <dt>Login</dt>
          <dd data-field="login"></dd>
          <dt>Email</dt>
          <dd data-field="email"></dd>
        </dl>
        <div class="field">
          <label for="personal-phone">
            Phone number <span class="optional">(optional)</span>
          </label>
          <input id="personal-phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" maxlength={32} aria-describedby="personal-phone-hint" />
          <p class="hint" id="personal-phone-hint">
            With the country code, e.g. +48 123 456 789.
          </p>
        </div>
        <ErrorLine />
        <div class="actions">
          <button type="submit" class="button">
            Continue
          </button>
          <button type="button" class="button secondary" data-back="welcome">
            Back
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordStep() {
  return (
    <section data-view="password" hidden>
      <h2>Choose your password</h2>
      <form id="password-form" class="stack" novalidate>
        <PasswordFields id="enroll" />
        <ErrorLine />
        <div class="actions">
          <button type="submit" class="button" disabled>
            Continue
          </button>
          <button type="button" class="button secondary" data-back="personal">
            Back
          </button>
        </div>
      </form>
    </section>
  );
}

function DoneStep() {
  return (
    <section data-view="done" hidden>
      <h2>You are all set</h2>
      <p>Your account is active: sign in with your login and the password you chose.</p>
      <div class="final-content markdown" id="final-content"></div>
    </section>
  );
}

/** `selfHref`: this page's own URL, the "Try again" of the server-rendered unavailable view. */
export function EnrollmentPage(props: { coreConnected: boolean; selfHref: string }) {
  return (
    <Layout title="Enrollment" page="enrollment">
      <div id="enrollment" class="views">
        <section data-view="loading" hidden={!props.coreConnected}>
          <h1>Opening your enrollment…</h1>
          <p class="hint">This takes a moment.</p>
        </section>
        {props.coreConnected ? (
          <ProblemView />
        ) : (
          <ProblemView hidden={false} title={UNAVAILABLE_TITLE} message={UNAVAILABLE_MESSAGE} retryHref={props.selfHref} />
        )}
        <section data-view="steps" hidden>
          <Progress />
          <div id="enrollment-steps" class="views">
            <WelcomeStep />
            <PersonalStep />
            <PasswordStep />
            <MfaStep />
            <DeviceStep />
            <ConfigStep />
            <DoneStep />
          </div>
        </section>
      </div>
    </Layout>
  );
}
