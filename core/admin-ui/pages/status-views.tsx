// The pages that say why there is nothing to show: no permission (403, no data read), no such page (404),
// and an account that was disabled.
import type { Rendered } from "../page.ts";

export const FORBIDDEN_TITLE = "Only administrators can open this page";

export function ForbiddenView(): Rendered {
  return {
    title: "Not allowed",
    status: 403,
    body: (
      <section class="panel problem">
        <h1>{FORBIDDEN_TITLE}</h1>
        <p>Your account is not in the admin group. You can manage your own account, devices and sign-in methods.</p>
        <p>
          <a class="button" href="/ui/account">
            Go to my account
          </a>
        </p>
      </section>
    ),
  };
}

export function NotFoundView(): Rendered {
  return {
    title: "Not found",
    status: 404,
    body: (
      <section class="panel problem">
        <h1>There is no such page</h1>
        <p>
          The address may be mistyped, or what it showed was deleted. <a href="/">Go to the start page</a>.
        </p>
      </section>
    ),
  };
}

export const DISABLED_TITLE = "Your account is disabled";

export function DisabledView(): Rendered {
  return {
    title: "Account disabled",
    body: (
      <section class="panel problem">
        <h1>{DISABLED_TITLE}</h1>
        <p>An administrator turned your account off, so you cannot sign in or use the VPN. Ask your administrator to turn it on again.</p>
        <p>
          <a class="button secondary" href="/ui/login">
            Back to sign in
          </a>
        </p>
      </section>
    ),
  };
}
