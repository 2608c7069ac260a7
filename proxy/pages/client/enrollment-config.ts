// The configuration step: for each network the device may use, the config text with the private key
// made in this browser filled in, a download of the `.conf` file, and a QR code for the WireGuard app.
// The private key exists only here: nothing on this step sends it anywhere.
import type { EnrollmentContext } from "./enrollment-context.ts";
import { describeFailure } from "./messages.ts";
import { renderConfigCard } from "../../../shared/client/config-card.ts";
import { FormStatus, byId } from "./view.ts";
import type { DeviceConfigAnswer } from "./wire-types.ts";

/** Wires the step's "Finish enrollment" button (activation); call once. */
export function setupConfigStep(ctx: EnrollmentContext): void {
  const actions = byId("config-actions");
  const status = new FormStatus(actions);
  const finish = byId<HTMLButtonElement>("config-finish");
  finish.addEventListener("click", () => {
    void status.run(() => ctx.finish(), finish, "Finishing…").catch((error: unknown) => status.showError(describeFailure(error)));
  });
}

/** Fills the configuration step with `answer` and shows it. */
export async function showConfigs(ctx: EnrollmentContext, answer: DeviceConfigAnswer, privateKey: string | undefined): Promise<void> {
  for (const el of document.querySelectorAll<HTMLElement>("[data-field=device_name]")) el.textContent = answer.device?.name ?? "";
  byId("config-key-warning").hidden = privateKey === undefined;
  byId("config-manual-key").hidden = privateKey !== undefined;
  byId("config-none").hidden = answer.configs.length > 0;
  const template = byId<HTMLTemplateElement>("config-template");
  const nodes = await Promise.all(answer.configs.map((entry) => renderConfigCard(template, entry, privateKey)));
  byId("config-list").replaceChildren(...nodes);
  new FormStatus(byId("config-actions")).clearError();
  ctx.go("config");
}
