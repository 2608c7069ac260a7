// Pieces several pages share: the new-password fields with their rule list, the error line every form
// has (a live region, so screen readers announce what went wrong), and the "something is wrong" view.
import type { Child } from "hono/jsx";
import { PASSWORD_RULES } from "./client/password-rules.ts";

/** The live error line of a form; the client writes into it (view.ts FormStatus). */
export function ErrorLine() {
  return <p class="error" data-error role="alert" aria-live="assertive"></p>;
}

/** Password and repeat fields, the rules checked while typing (client/password-fields.ts). */
export function PasswordFields(props: { id: string }) {
  const rulesId = `${props.id}-rules`;
  return (
    <>
      <div class="field">
        <label for={`${props.id}-password`}>New password</label>
        <input
          id={`${props.id}-password`}
          name="password"
          type="password"
          autocomplete="new-password"
          required
          maxlength={512}
          aria-describedby={rulesId}
          data-password
        />
      </div>
      <div class="rules" id={rulesId}>
        <p class="rules-title">Your password needs:</p>
        <ul>
          {PASSWORD_RULES.map((rule) => (
            <li data-rule={rule.id}>
              <span class="rule-icon" aria-hidden="true"></span>
              {rule.label}
              <span class="visually-hidden">
                {", "}
                <span data-rule-state>not met</span>
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div class="field">
        <label for={`${props.id}-repeat`}>Repeat the password</label>
        <input
          id={`${props.id}-repeat`}
          name="password-repeat"
          type="password"
          autocomplete="new-password"
          required
          maxlength={512}
          aria-describedby={`${props.id}-mismatch`}
          data-password-repeat
        />
        <p class="field-error" id={`${props.id}-mismatch`} data-password-mismatch hidden>
          The two passwords are not the same.
        </p>
      </div>
      <button type="button" class="link-button" aria-pressed="false" data-password-toggle>
        Show password
      </button>
    </>
  );
}

/** A view explaining why the page cannot go on (expired link, service unavailable...), with a way out. */
export function ProblemView(props: {
  title?: string;
  message?: string;
  hidden?: boolean;
  retryHref?: string;
  /** Another way forward, e.g. asking for a new password-reset link. */
  extraAction?: { href: string; label: string };
  children?: Child;
}) {
  return (
    <section data-view="problem" hidden={props.hidden ?? true} class="problem">
      <h1 id="problem-title">{props.title ?? ""}</h1>
      <p id="problem-message" role="alert">
        {props.message ?? ""}
      </p>
      <div class="actions">
        <button type="button" id="problem-retry" class="button" hidden>
          Try again
        </button>
        {props.retryHref ? (
          <a class="button" href={props.retryHref}>
            Try again
          </a>
        ) : null}
        {props.extraAction ? (
          <a class="button secondary" href={props.extraAction.href}>
            {props.extraAction.label}
          </a>
        ) : null}
        <a class="button secondary" href="/">
          Back to the start page
        </a>
      </div>
      {props.children}
    </section>
  );
}

/** The title of the view a page shows, server-rendered, when no Defguard Core is connected. */
export const UNAVAILABLE_TITLE = "Service unavailable";
export { UNAVAILABLE_MESSAGE } from "./client/messages.ts";
