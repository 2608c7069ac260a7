// The sign-in page: POST /api/v1/auth with the password; when the account has a second factor the
// answer is `{mfa_method, totp_available, email_available}` instead of a user, and the page asks for a
// code on Defguard's paths (/auth/totp/verify, /auth/email + /auth/email/verify, /auth/recovery).
// A disabled account is sent to its own page; throttling (429) is said in words.
import { ApiError, callApi } from "./api.ts";
import { showErrors } from "./forms.ts";

type Method = "totp" | "email" | "recovery";

interface MfaInfo {
  mfa_method?: string;
  totp_available?: boolean;
  email_available?: boolean;
}

const VERIFY_PATH: Record<Method, string> = {
  totp: "/api/v1/auth/totp/verify",
  email: "/api/v1/auth/email/verify",
  recovery: "/api/v1/auth/recovery",
};

const PROMPT: Record<Method, string> = {
  totp: "Enter the 6-digit code from your authenticator app.",
  email: "We mailed you a 6-digit code: enter it here.",
  recovery: "Enter one of the recovery codes you saved when you set up MFA (each works once).",
};

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`sign-in page without ${selector}`);
  return found;
}

function goOn(next: string | undefined): void {
  location.assign(next ?? "/");
}

/** True when the refusal means the account is disabled: the page says so on its own page. */
function isDisabled(err: unknown): boolean {
  return err instanceof ApiError && err.status === 403 && /disabled/i.test(err.message);
}

export function runSignIn(): void {
  const passwordForm = element<HTMLFormElement>("#sign-in-form");
  const mfaForm = element<HTMLFormElement>("#mfa-form");
  const next = passwordForm.dataset.next || undefined;
  let method: Method = "totp";

  const choose = async (chosen: Method) => {
    method = chosen;
    element("#mfa-prompt").textContent = PROMPT[chosen];
    const code = element<HTMLInputElement>("#mfa-code");
    code.value = "";
    code.setAttribute("autocomplete", chosen === "recovery" ? "off" : "one-time-code");
    for (const b of document.querySelectorAll<HTMLButtonElement>("[data-mfa-method]")) b.setAttribute("aria-pressed", String(b.dataset.mfaMethod === chosen));
    if (chosen === "email") {
      try {
        await callApi("POST", "/api/v1/auth/email");
      } catch (err) {
        showErrors(mfaForm, err instanceof Error ? err.message : String(err));
      }
    }
    code.focus();
  };

  const showMfa = (info: MfaInfo) => {
    element("[data-view=password]").hidden = true;
    element("[data-view=mfa]").hidden = false;
    const email = element<HTMLButtonElement>("[data-mfa-method=email]");
    const totp = element<HTMLButtonElement>("[data-mfa-method=totp]");
    email.hidden = !info.email_available;
    totp.hidden = !info.totp_available;
    element<HTMLElement>("#mfa-title").focus();
    void choose(info.mfa_method === "Email" || (!info.totp_available && info.email_available) ? "email" : "totp");
  };

  passwordForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(passwordForm);
    showErrors(passwordForm, "");
    try {
      const answer = await callApi<MfaInfo & { user?: unknown }>("POST", "/api/v1/auth", { username: data.get("username"), password: data.get("password") });
      if (answer && !answer.user && answer.mfa_method) showMfa(answer);
      else goOn(next);
    } catch (err) {
      if (isDisabled(err)) location.assign("/ui/disabled");
      else showErrors(passwordForm, err instanceof Error ? err.message : String(err));
    }
  });

  mfaForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    showErrors(mfaForm, "");
    const code = element<HTMLInputElement>("#mfa-code").value.trim();
    try {
      await callApi("POST", VERIFY_PATH[method], { code });
      goOn(next);
    } catch (err) {
      showErrors(mfaForm, err instanceof Error ? err.message : String(err));
    }
  });

  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-mfa-method]")) {
    button.addEventListener("click", () => void choose(button.dataset.mfaMethod as Method));
  }
}
