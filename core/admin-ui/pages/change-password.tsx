// Changing one's own password (PUT /api/v1/user/change_password). While the password is Defguard's
// published default, every other page sends the person here first.
import { PASSWORD_RULES_TEXT } from "../../password-policy.ts";
import { ApiForm, Field, Notice, Submit } from "../components.tsx";
import type { UiPage } from "../page.ts";

export const changePasswordPage: UiPage = {
  path: "/ui/change-password",
  name: "change-password",
  access: "user",
  async render({ viewer }) {
    return {
      title: "Change password",
      body: (
        <div class="narrow panel">
          <h1>Change your password</h1>
          {viewer.mustChangePassword ? (
            <Notice tone="warning">
              <p>
                You signed in with the default password, which anyone who read the documentation knows. Choose a new one before going on.
              </p>
            </Notice>
          ) : null}
          <ApiForm action="/api/v1/user/change_password" method="PUT" done="go:/">
            <Field name="old_password" label="Current password" type="password" required autocomplete="current-password" />
            <Field name="new_password" label="New password" type="password" required autocomplete="new-password" hint={PASSWORD_RULES_TEXT} />
            <Submit label="Change password" />
          </ApiForm>
        </div>
      ),
    };
  },
};
