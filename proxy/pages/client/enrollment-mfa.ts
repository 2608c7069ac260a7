// The MFA step, shown when the enrollment settings ask for it: pick TOTP (a QR code of the otpauth://
// URI for an authenticator app) or a code by email, confirm with a code, then read the recovery codes.
import { postJson } from "./api.ts";
import type { EnrollmentContext } from "./enrollment-context.ts";
import { describeFailure } from "./messages.ts";
import { drawQrCode, totpUri } from "../../../shared/client/qr-code.ts";
import { FormStatus, byId } from "./view.ts";
import type { MfaSetupFinish, MfaSetupStart } from "./wire-types.ts";

type Method = "Totp" | "Email";

const START_PATH = "/api/v1/enrollment/register-mfa/code/start";
const FINISH_PATH = "/api/v1/enrollment/register-mfa/code/finish";

/** `ABCD EFGH ...`: a base32 secret in groups of four, easier to type into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export function setupMfaStep(ctx: EnrollmentContext): void {
  const choice = byId<HTMLFormElement>("mfa-choice");
  const codeForm = byId<HTMLFormElement>("mfa-code-form");
  const recovery = byId("mfa-recovery");
  const codeInput = byId<HTMLInputElement>("mfa-code");
  const choiceStatus = new FormStatus(choice);
  const codeStatus = new FormStatus(codeForm);
  let method: Method = "Totp";

  const showPanel = (panel: HTMLElement, focus: HTMLElement | null) => {
    for (const p of [choice, codeForm, recovery]) p.hidden = p !== panel;
    focus?.focus();
  };

  const emailAvailable = ctx.info.settings?.smtp_configured ?? false;
  byId<HTMLInputElement>("mfa-method-email").disabled = !emailAvailable;
  byId("mfa-email-hint").hidden = emailAvailable;

  choice.addEventListener("submit", (event) => {
    event.preventDefault();
    method = (new FormData(choice).get("mfa-method") as Method | null) ?? "Totp";
    const pressed = choice.querySelector<HTMLButtonElement>("button[type=submit]") ?? undefined;
    void choiceStatus
      .run(async () => {
        const { data } = await postJson<MfaSetupStart>(START_PATH, { method });
        byId("mfa-totp-info").hidden = method !== "Totp";
        byId("mfa-email-info").hidden = method !== "Email";
        if (method === "Totp") {
          const secret = data?.totp_secret;
          if (!secret) throw new Error("no TOTP secret in the answer");
          const uri = totpUri(ctx.info.instance?.name || "Defguard", ctx.info.user?.login ?? "", secret);
          await drawQrCode(byId("mfa-totp-qr"), uri, "QR code to scan with your authenticator app");
          byId("mfa-totp-secret").textContent = groupSecret(secret);
        }
        codeInput.value = "";
        codeStatus.clearError();
        showPanel(codeForm, codeInput);
      }, pressed)
      .catch((error: unknown) => choiceStatus.showError(describeFailure(error)));
  });

  codeForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeInput.value.replace(/\s+/g, "");
    if (!/^[0-9]{6}$/.test(code)) return codeStatus.showError("Enter the 6-digit code.");
    const pressed = codeForm.querySelector<HTMLButtonElement>("button[type=submit]") ?? undefined;
    void codeStatus
      .run(async () => {
        const { data } = await postJson<MfaSetupFinish>(FINISH_PATH, { method, code });
        const list = byId("mfa-recovery-codes");
        list.replaceChildren(
          ...(data?.recovery_codes ?? []).map((value) => {
            const item = document.createElement("li");
            item.textContent = value;
            return item;
          }),
        );
        showPanel(recovery, recovery.querySelector("h3"));
      }, pressed, "Checking…")
      .catch((error: unknown) => codeStatus.showError(describeFailure(error)));
  });

  byId("mfa-other-method").addEventListener("click", () => showPanel(choice, choice.querySelector("input")));
  byId("mfa-recovery-done").addEventListener("click", () => ctx.go("device"));
}
