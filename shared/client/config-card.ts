// One location's configuration as a card cloned from a <template>: the text with the private key made in
// this browser filled in, a download of the `.conf` file, and a QR code for the WireGuard app (hidden
// while the text still holds YOUR_PRIVATE_KEY). Used by the enrollment pages and the Core's admin UI.
import { downloadText } from "./download-text.ts";
import { drawQrCode } from "./qr-code.ts";
import { configFileName, withPrivateKey } from "./wireguard-config.ts";

export interface ConfigCardEntry {
  network_name: string;
  assigned_ip: string;
  endpoint?: string;
  config: string;
}

/** Fills `[data-config=<field>]`, `[data-config-download]`, `[data-config-qr-block]` and `[data-config-qr]` of a clone. */
export async function renderConfigCard(template: HTMLTemplateElement, entry: ConfigCardEntry, privateKey: string | undefined): Promise<Node> {
  const fragment = template.content.cloneNode(true) as DocumentFragment;
  const text = withPrivateKey(entry.config, privateKey);
  const put = (name: string, value: string) => {
    const el = fragment.querySelector<HTMLElement>(`[data-config="${name}"]`);
    if (el) el.textContent = value;
  };
  put("network_name", entry.network_name);
  put("assigned_ip", entry.assigned_ip);
  put("endpoint", entry.endpoint ?? "");
  put("text", text);
  const download = fragment.querySelector<HTMLButtonElement>("[data-config-download]")!;
  const fileName = configFileName(entry.network_name);
  download.textContent = `Download ${fileName}`;
  download.addEventListener("click", () => downloadText(text, fileName));
  const qrBlock = fragment.querySelector<HTMLElement>("[data-config-qr-block]")!;
  qrBlock.hidden = privateKey === undefined;
  if (privateKey !== undefined) {
    await drawQrCode(fragment.querySelector<HTMLElement>("[data-config-qr]")!, text, `QR code of the ${entry.network_name} configuration`);
  }
  return fragment;
}
