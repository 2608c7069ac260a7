// The devices page's QR codes of a listed device's configuration (fetched from the Core, so still with
// YOUR_PRIVATE_KEY), in a dialog. Adding a device is device-add.ts.
import { drawQrCode } from "../../../shared/client/qr-code.ts";

function wireQrButtons(): void {
  const dialog = document.getElementById("qr-dialog") as HTMLDialogElement | null;
  if (!dialog) return;
  for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-config-qr]")) {
    button.addEventListener("click", async () => {
      const response = await fetch(button.dataset.configQr!, { credentials: "same-origin" });
      if (!response.ok) return;
      dialog.querySelector("h2")!.textContent = `Configuration of ${button.dataset.configName}`;
      await drawQrCode(dialog.querySelector<HTMLElement>("[data-qr]")!, await response.text(), `QR code of the configuration of ${button.dataset.configName}`);
      dialog.showModal();
    });
  }
}

export function runDevices(): void {
  wireQrButtons();
}
