// "My account"'s second factors: starting a setup (TOTP: secret and QR code for the app; email: a code
// mailed), confirming it with a code, and showing the recovery codes the API answers the first time MFA
// is turned on or when new ones are made. Every other button of the section is a plain ApiForm.
import { drawQrCode } from "../../../shared/client/qr-code.ts";
import { ApiError, callApi } from "./api.ts";
import { showErrors } from "./forms.ts";

type Method = "totp" | "email";

function messageOf(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

function showRecoveryCodes(section: HTMLElement, codes: string[] | null): void {
  if (!codes || codes.length === 0) {
    location.reload();
    return;
  }
  for (const setup of section.querySelectorAll<HTMLElement>("[data-mfa-setup]")) setup.hidden = true;
  const box = section.querySelector<HTMLElement>("[data-recovery]")!;
  section.querySelector("[data-recovery-list]")!.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement("li");
      item.textContent = code;
      return item;
    }),
  );
  box.hidden = false;
  box.focus();
}

async function start(section: HTMLElement, method: Method, button: HTMLButtonElement): Promise<void> {
  const error = section.querySelector<HTMLElement>("[data-mfa-error]")!;
  error.textContent = "";
  button.disabled = true;
  try {
    if (method === "totp") {
      const { secret, uri } = await callApi<{ secret: string; uri: string }>("POST", "/api/v1/auth/totp/init");
      section.querySelector("[data-totp-key]")!.textContent = secret;
      await drawQrCode(section.querySelector<HTMLElement>("[data-totp-qr]")!, uri, "QR code of your TOTP secret for an authenticator app");
      section.querySelector<HTMLElement>("[data-totp-secret]")!.hidden = false;
    } else {
      await callApi("POST", "/api/v1/auth/email/init");
    }
    button.hidden = true;
    const confirmForm = section.querySelector<HTMLFormElement>(`[data-mfa-confirm="${method}"]`)!;
    confirmForm.hidden = false;
    confirmForm.querySelector<HTMLInputElement>("input[name=code]")!.focus();
  } catch (err) {
    error.textContent = messageOf(err);
  } finally {
    button.disabled = false;
  }
}

async function confirmMethod(section: HTMLElement, form: HTMLFormElement, method: Method): Promise<void> {
  showErrors(form, "");
  const code = form.querySelector<HTMLInputElement>("input[name=code]")!.value.trim();
  try {
    const { codes } = await callApi<{ codes: string[] | null }>("POST", method === "totp" ? "/api/v1/auth/totp" : "/api/v1/auth/email/enable", { code });
    showRecoveryCodes(section, codes);
  } catch (err) {
    showErrors(form, messageOf(err));
  }
}

export function runMfaSetup(): void {
  const section = document.querySelector<HTMLElement>("[data-mfa]");
  if (!section) return;
  for (const button of section.querySelectorAll<HTMLButtonElement>("[data-mfa-start]")) {
    button.addEventListener("click", () => void start(section, button.dataset.mfaStart as Method, button));
  }
  for (const form of section.querySelectorAll<HTMLFormElement>("[data-mfa-confirm]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void confirmMethod(section, form, form.dataset.mfaConfirm as Method);
    });
  }
  section.querySelector<HTMLButtonElement>("[data-recovery-renew]")?.addEventListener("click", async () => {
    const error = section.querySelector<HTMLElement>("[data-mfa-error]")!;
    if (!confirm("Make new recovery codes? The ones you have stop working.")) return;
    try {
      const { codes } = await callApi<{ codes: string[] }>("POST", "/api/v1/auth/recovery_codes");
      showRecoveryCodes(section, codes);
    } catch (err) {
      error.textContent = messageOf(err);
    }
  });
}
