// Walking an enrollment in the browser to a given step, for tests about what happens there.
import type { Page } from "playwright-core";
import { expectFocusOn } from "./pages-checks.ts";

export const WALK_PASSWORD = "Val1d-Password";

/** From the welcome step of an opened enrollment (no MFA asked) to the device step. */
export async function walkToDeviceStep(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Let's start" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("New password").fill(WALK_PASSWORD);
  await page.getByLabel("Repeat the password").fill(WALK_PASSWORD);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectFocusOn(page, "Add your VPN device");
}
