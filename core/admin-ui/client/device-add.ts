// Adding a device (device-list.tsx DeviceAddForm): keys made here with WebCrypto X25519 unless a public
// key was pasted, `POST /api/v1/device/{username}`, then each location's configuration with the private
// key filled in, a download and a QR code. The private key is never sent anywhere.
import { type ConfigCardEntry, renderConfigCard } from "../../../shared/client/config-card.ts";
import { generateWireguardKeyPair } from "../../../shared/client/wireguard-keys.ts";
import { callApi } from "./api.ts";
import { showErrors } from "./forms.ts";

async function addDevice(form: HTMLFormElement): Promise<void> {
  showErrors(form, "");
  const root = form.parentElement!;
  const name = (form.elements.namedItem("name") as HTMLInputElement).value;
  const pasted = (form.elements.namedItem("wireguard_pubkey") as HTMLInputElement | null)?.value.trim() || undefined;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  button.disabled = true;
  try {
    const keys = pasted ? undefined : await generateWireguardKeyPair();
    const username = form.dataset.deviceAdd || (form.elements.namedItem("username") as HTMLInputElement).value.trim();
    const answer = await callApi<{ configs: ConfigCardEntry[] }>("POST", `/api/v1/device/${encodeURIComponent(username)}`, {
      name,
      wireguard_pubkey: pasted ?? keys!.publicKey,
    });
    const template = root.querySelector<HTMLTemplateElement>("#device-config-template")!;
    const nodes = await Promise.all(answer.configs.map((entry) => renderConfigCard(template, entry, keys?.privateKey)));
    const result = root.querySelector<HTMLElement>("[data-device-result]")!;
    result.querySelector("[data-config-list]")!.replaceChildren(...nodes);
    result.querySelector<HTMLElement>("[data-key-made]")!.hidden = keys === undefined;
    result.querySelector<HTMLElement>("[data-key-pasted]")!.hidden = keys !== undefined;
    result.querySelector<HTMLElement>("[data-no-config]")!.hidden = answer.configs.length > 0;
    form.hidden = true;
    result.hidden = false;
    result.querySelector<HTMLElement>("h3")!.focus();
  } catch (err) {
    showErrors(form, err instanceof Error ? err.message : String(err));
  } finally {
    button.disabled = false;
  }
}

/** Wires every device-add form of the page. */
export function wireDeviceAddForms(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>("form[data-device-add]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void addDevice(form);
    });
  }
}
