// The admin UI's one script (bundled by ui-assets.ts): the forms every page has, the sign-out button,
// then the controller of the page it is loaded in (`data-page` of the body). A new page with behaviour
// of its own adds its controller to CONTROLLERS.
import { callApi } from "./api.ts";
import { wireDeviceAddForms } from "./device-add.ts";
import { wireApiForms } from "./forms.ts";
import { runDevices } from "./devices.ts";
import { startLiveSections } from "./live-sections.ts";
import { runLocation } from "./location.ts";
import { runSettings } from "./settings.ts";
import { runMfaSetup } from "./mfa-setup.ts";
import { runSignIn } from "./sign-in.ts";

const CONTROLLERS: Record<string, () => void> = {
  "sign-in": runSignIn,
  account: runMfaSetup,
  location: runLocation,
  devices: runDevices,
  settings: runSettings,
};

function wireSignOut(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>("[data-sign-out]")) {
    button.addEventListener("click", async () => {
      try {
        await callApi("POST", "/api/v1/auth/logout");
      } finally {
        location.assign("/ui/login");
      }
    });
  }
}

function start(): void {
  wireApiForms();
  wireDeviceAddForms();
  wireSignOut();
  CONTROLLERS[document.body.dataset.page ?? ""]?.();
  startLiveSections();
  // Forms are wired from here on (tests wait for this before typing into a server-rendered form).
  document.body.dataset.ready = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
