// The password-reset controller. Without a token: ask for the email (password-reset/request) and say
// "check your inbox" whatever the answer's account (the Core answers the same for unknown addresses).
// With the mail's token: open the session (start), take a new password meeting the rules (reset), done.
import { postJson } from "./api.ts";
import { describeFailure } from "./messages.ts";
import { bindPasswordFields } from "./password-fields.ts";
import { problemAlreadyShown, showFailure, showProblem } from "./problem-view.ts";
import { startSessionTimer } from "./session-timer.ts";
import { FormStatus, byId, showView } from "./view.ts";
import type { PasswordResetStart } from "./wire-types.ts";

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

function runRequest(root: HTMLElement): void {
  const form = byId<HTMLFormElement>("reset-request-form");
  const status = new FormStatus(form);
  const input = byId<HTMLInputElement>("reset-email");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const email = input.value.trim();
    if (!EMAIL_SHAPE.test(email)) return status.showError("Enter the email address of your account, e.g. name@example.com.");
    const pressed = form.querySelector<HTMLButtonElement>("button[type=submit]") ?? undefined;
    void status
      .run(async () => {
        await postJson<null>("/api/v1/password-reset/request", { email });
        byId("reset-sent-email").textContent = email;
        showView(root, "sent");
      }, pressed, "Sending…")
      .catch((error: unknown) => status.showError(describeFailure(error)));
  });
}

function bindNewPassword(root: HTMLElement, onChanged: () => void): void {
  const form = byId<HTMLFormElement>("reset-password-form");
  const status = new FormStatus(form);
  const fields = bindPasswordFields(form);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const password = fields.value();
    if (password === undefined) return status.showError("Your password does not meet every rule yet.");
    const pressed = form.querySelector<HTMLButtonElement>("button[type=submit]") ?? undefined;
    void status
      .run(async () => {
        await postJson<null>("/api/v1/password-reset/reset", { password });
        onChanged();
        showView(root, "changed");
      }, pressed, "Saving…")
      .catch((error: unknown) => status.showError(describeFailure(error)));
  });
}

async function openReset(root: HTMLElement, token: string): Promise<void> {
  showView(root, "loading");
  try {
    const answer = await postJson<PasswordResetStart>("/api/v1/password-reset/start", { token });
    const timer = startSessionTimer(answer.data.deadline_timestamp, answer.serverTimeMs, () => {
      showProblem(root, "Your password-reset session has ended", "The time to choose a new password is over. Ask for a new link and try again.");
    });
    bindNewPassword(root, () => timer.stop());
    showView(root, "choose");
  } catch (error) {
    showFailure(root, error, "password-reset link", () => void openReset(root, token));
  }
}

export function runPasswordReset(): void {
  const root = byId("password-reset");
  if (problemAlreadyShown(root)) return;
  if (root.dataset.mode === "request") return runRequest(root);
  const token = new URLSearchParams(window.location.search).get("token")?.trim() ?? "";
  void openReset(root, token);
}
