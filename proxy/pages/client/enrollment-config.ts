// The configuration step: for each network the device may use, the config text with the private key
// made in this browser filled in, a download of the `.conf` file, and a QR code for the WireGuard app.
// The private key exists only here: nothing on this step sends it anywhere.
import type { EnrollmentContext } from "./enrollment-context.ts";
import { describeFailure } from "./messages.ts";
import { downloadText } from "./download-text.ts";
import { drawQrCode } from "./qr-code.ts";
import { FormStatus, byId } from "./view.ts";
import { configFileName, withPrivateKey } from "./wireguard-config.ts";
import type { DeviceConfigAnswer, DeviceConfigEntry } from "./wire-types.ts";

async function renderConfig(entry: DeviceConfigEntry, privateKey: string | undefined): Promise<Node> {
  const template = byId<HTMLTemplateElement>("config-template");
  const fragment = template.content.cloneNode(true) as DocumentFragment;
  const text = withPrivateKey(entry.config, privateKey);
  const put = (name: string, value: string) => {
    const el = fragment.querySelector<HTMLElement>(`[data-config="${name}"]`);
    if (el) el.textContent = value;
  };
  put("network_name", entry.network_name);
  put("assigned_ip", entry.assigned_ip);
  put("endpoint", entry.endpoint);
  put("text", text);
  const download = fragment.querySelector<HTMLButtonElement>("[data-config-download]")!;
  const fileName = configFileName(entry.network_name);
  download.textContent = `Download ${fileName}`;
  download.addEventListener("click", () => downloadText(text, fileName));
  const qrBlock = fragment.querySelector<HTMLElement>("[data-config-qr-block]")!;
  // A configuration still holding YOUR_PRIVATE_KEY is useless to a phone scanning it.
  qrBlock.hidden = privateKey === undefined;
  if (privateKey !== undefined) {
    await drawQrCode(fragment.querySelector<HTMLElement>("[data-config-qr]")!, text, `QR code of the ${entry.network_name} configuration`);
  }
  return fragment;
}

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
  const nodes = await Promise.all(answer.configs.map((entry) => renderConfig(entry, privateKey)));
  byId("config-list").replaceChildren(...nodes);
  new FormStatus(byId("config-actions")).clearError();
  ctx.go("config");
}
