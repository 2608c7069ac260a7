// Sign in: the password, then the second factor when the account has one (an authenticator code, a
// mailed code, or a recovery code), all through the JSON API (client/sign-in.ts). A signed-in person is
// sent on; `next` brings them back to the page that asked for a sign-in (only paths of this site).
import { ErrorLine, Field } from "../components.tsx";
import type { PageContext, Rendered, UiPage, Viewer } from "../page.ts";
import { homeOf } from "../paths.ts";
import { DisabledView } from "./status-views.tsx";

/** `next` when it is a path of this site (never `//host` or a URL elsewhere), else undefined. */
export function safeNext(next: string | undefined): string | undefined {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return undefined;
  return next;
}

function SecondFactor() {
  return (
    <section data-view="mfa" hidden aria-labelledby="mfa-title">
      <h1 id="mfa-title" tabindex={-1}>
        Second step
      </h1>
      <form class="stack" id="mfa-form" novalidate>
        <p id="mfa-prompt">Enter the 6-digit code from your authenticator app.</p>
        <Field name="code" label="Code" required autocomplete="one-time-code" inputmode="text" id="mfa-code" maxlength={32} />
        <div class="actions">
          <button type="submit" class="button">
            Verify
          </button>
        </div>
        <ErrorLine />
      </form>
      <div class="stack other-methods">
        <p class="hint">Other ways to confirm it is you:</p>
        <div class="actions">
          <button type="button" class="button secondary" data-mfa-method="totp" hidden>
            Use my authenticator app
          </button>
          <button type="button" class="button secondary" data-mfa-method="email" hidden>
            Mail me a code
          </button>
          <button type="button" class="button secondary" data-mfa-method="recovery">
            Use a recovery code
          </button>
        </div>
      </div>
    </section>
  );
}

function SignInView(next: string | undefined): Rendered {
  return {
    title: "Sign in",
    body: (
      <div class="narrow panel">
        <section data-view="password" aria-labelledby="sign-in-title">
          <h1 id="sign-in-title">Sign in</h1>
          <form class="stack" id="sign-in-form" data-next={next}>
            <Field name="username" label="Username or email" required autocomplete="username" id="sign-in-username" />
            <Field name="password" label="Password" type="password" required autocomplete="current-password" id="sign-in-password" />
            <div class="actions">
              <button type="submit" class="button">
                Sign in
              </button>
            </div>
            <ErrorLine />
          </form>
        </section>
        <SecondFactor />
      </div>
    ),
  };
}

export const signInPage: UiPage = {
  path: "/ui/login",
  name: "sign-in",
  access: "public",
  async render({ c, viewer }: PageContext<Viewer | undefined>) {
    const next = safeNext(c.req.query("next"));
    if (viewer) return c.redirect(viewer.mustChangePassword ? homeOf(viewer) : (next ?? homeOf(viewer)), 302);
    return SignInView(next);
  },
};

export const disabledPage: UiPage = {
  path: "/ui/disabled",
  name: "disabled",
  access: "public",
  async render() {
    return DisabledView();
  },
};
