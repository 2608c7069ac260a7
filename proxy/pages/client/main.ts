// The pages' one script (bundled by page-assets.ts): runs the controller of the page it is loaded in.
import { runEnrollment } from "./enrollment.ts";
import { runPasswordReset } from "./password-reset.ts";

function start(): void {
  const page = document.body.dataset.page;
  if (page === "enrollment") runEnrollment();
  else if (page === "password-reset") runPasswordReset();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
