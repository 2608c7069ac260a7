// The pages' one script (bundled by page-assets.ts): runs the controller of the page it is loaded in.
import { runEnrollment } from "./enrollment.ts";
import { runPasswordReset } from "./password-reset.ts";

function start(): void {
  const page = document.body.dataset.page;
  if (page === "enrollment") runEnrollment();
  else if (page === "password-reset") runPasswordReset();
  // Forms are wired from here on (tests wait for this before typing into a server-rendered form).
  document.body.dataset.ready = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
