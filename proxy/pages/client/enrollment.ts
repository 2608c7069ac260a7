// The enrollment controller: opens the session with the token of the link (enrollment/start), fills the
// pages with the answer, and walks the steps: welcome, details, password, MFA when asked, device, final
// page. The API order matters: devices are created while the token is valid, activation comes last
// because it spends the token.
import { postJson } from "./api.ts";
import { setupConfigStep } from "./enrollment-config.ts";
import { setupDeviceSteps } from "./enrollment-device.ts";
import type { EnrollmentContext, EnrollmentStep } from "./enrollment-context.ts";
import { setupMfaStep } from "./enrollment-mfa.ts";
import { bindPasswordFields } from "./password-fields.ts";
import { checkPhoneNumber } from "./phone-number.ts";
import { DESKTOP_CLIENT_ONLY_MESSAGE, DESKTOP_CLIENT_ONLY_TITLE } from "./messages.ts";
import { problemAlreadyShown, showFailure, showProblem } from "./problem-view.ts";
import { renderSafeMarkdown } from "../../../shared/safe-markdown.ts";
import { type SessionTimer, startSessionTimer } from "./session-timer.ts";
import { FormStatus, byId, markProgress, showView } from "./view.ts";
import type { EnrollmentStart } from "./wire-types.ts";

const SESSION_ENDED_TITLE = "Your enrollment session has ended";
const SESSION_ENDED_MESSAGE = "The time to finish the enrollment is over. Ask your administrator for a new enrollment link.";


function setField(name: string, value: string): void {
  for (const el of document.querySelectorAll<HTMLElement>(`[data-field="${name}"]`)) el.textContent = value;
}

function fillFields(info: EnrollmentStart): void {
  const user = info.user;
  const instanceName = info.instance?.name ?? "";
  setField("first_name", user?.first_name ?? "");
  setField("full_name", `${user?.first_name ?? ""} ${user?.last_name ?? ""}`.trim());
  setField("login", user?.login ?? "");
  setField("email", user?.email ?? "");
  setField("instance_name", instanceName || "Defguard");
  // Beside the "Defguard" brand, the default instance name would only repeat it.
  byId("instance-name").textContent = instanceName === "Defguard" ? "" : instanceName;
  const admin = info.admin;
  byId("admin-contact").hidden = !admin;
  if (admin) {
    setField("admin_name", admin.name);
    setField("admin_email", admin.email);
    document.querySelector<HTMLAnchorElement>("[data-field=admin_email]")!.href = `mailto:${admin.email}`;
    const phone = admin.phone_number ?? "";
    document.querySelector<HTMLElement>("[data-admin-phone]")!.hidden = !phone;
    setField("admin_phone", phone);
    document.querySelector<HTMLAnchorElement>("[data-field=admin_phone]")!.href = `tel:${phone.replace(/[^+0-9]/g, "")}`;
  }
  byId<HTMLInputElement>("personal-phone").value = user?.phone_number ?? "";
}

class EnrollmentFlow implements EnrollmentContext {
  /** What the person typed on the details and password steps, sent at activation. */
  private phone: string | undefined;
  private password: string | undefined;
  /** The step on screen. */
  current: EnrollmentStep = "welcome";
  /** Counts the session down; stopped once the account is active. */
  private timer: SessionTimer | undefined;
  private readonly steps = byId("enrollment-steps");
  private readonly progress = byId("enrollment-progress");

  constructor(
    private readonly root: HTMLElement,
    readonly info: EnrollmentStart,
  ) {}

  begin(serverTimeMs: number | undefined): void {
    fillFields(this.info);
    const mfaItem = this.progress.querySelector<HTMLElement>("[data-step=mfa]");
    if (mfaItem) mfaItem.hidden = !this.info.settings?.mfa_required;
    this.bindDetails();
    setupMfaStep(this);
    setupDeviceSteps(this);
    setupConfigStep(this);
    byId("welcome-start").addEventListener("click", () => this.go("personal"));
    for (const back of this.steps.querySelectorAll<HTMLButtonElement>("[data-back]")) {
      back.addEventListener("click", () => this.go(back.dataset.back as EnrollmentStep));
    }
    showView(this.root, "steps");
    this.go("welcome");
    this.timer = startSessionTimer(this.info.deadline_timestamp, serverTimeMs, () => this.sessionEnded());
  }

  private bindDetails(): void {
    const personal = byId<HTMLFormElement>("personal-form");
    const personalStatus = new FormStatus(personal);
    personal.addEventListener("submit", (event) => {
      event.preventDefault();
      const checked = checkPhoneNumber(byId<HTMLInputElement>("personal-phone").value);
      if ("error" in checked) return personalStatus.showError(checked.error);
      personalStatus.clearError();
      this.phone = checked.phone;
      this.go("password");
    });
    const passwordForm = byId<HTMLFormElement>("password-form");
    const passwordStatus = new FormStatus(passwordForm);
    const fields = bindPasswordFields(passwordForm);
    passwordForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const password = fields.value();
      if (password === undefined) return passwordStatus.showError("Your password does not meet every rule yet.");
      passwordStatus.clearError();
      this.password = password;
      this.go(this.info.settings?.mfa_required ? "mfa" : "device");
    });
  }

  go(step: EnrollmentStep): void {
    this.current = step;
    showView(this.steps, step);
    markProgress(this.progress, step === "config" ? "device" : step);
  }

  async finish(): Promise<void> {
    await postJson<null>("/api/v1/enrollment/activate_user", { password: this.password ?? "", phone_number: this.phone ?? null });
    this.timer?.stop();
    const content = this.info.final_page_content.trim();
    const target = byId("final-content");
    target.innerHTML = content ? renderSafeMarkdown(content) : ""; // Markdown with every HTML tag escaped
    target.hidden = !content;
    this.go("done");
  }

  /** The session ran out: the configuration on screen stays (it holds the only copy of the key). */
  private sessionEnded(): void {
    if (this.current === "done") return;
    if (this.current === "config") {
      new FormStatus(byId("config-actions")).showError(`${SESSION_ENDED_TITLE}. Save your configuration, then ask your administrator for a new enrollment link.`);
      return;
    }
    showProblem(this.root, SESSION_ENDED_TITLE, SESSION_ENDED_MESSAGE);
  }
}

async function open(root: HTMLElement, token: string): Promise<void> {
  showView(root, "loading");
  try {
    const answer = await postJson<EnrollmentStart>("/api/v1/enrollment/start", { token });
    // "Only client activation": the Core refuses this page's steps, so say where to go instead of failing later.
    if (answer.data.settings?.only_client_activation) return showProblem(root, DESKTOP_CLIENT_ONLY_TITLE, DESKTOP_CLIENT_ONLY_MESSAGE);
    new EnrollmentFlow(root, answer.data).begin(answer.serverTimeMs);
  } catch (error) {
    showFailure(root, error, "enrollment link", () => void open(root, token));
  }
}

export function runEnrollment(): void {
  const root = byId("enrollment");
  if (problemAlreadyShown(root)) return;
  const token = new URLSearchParams(window.location.search).get("token")?.trim() ?? "";
  void open(root, token);
}
