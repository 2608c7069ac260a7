// An enrollment done with the keyboard alone (Tab, typing, Enter, Space) in headless Chromium against
// real processes: no MFA asked and the VPN step optional, so it ends with an active account and no device.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { newContext, recordApiCalls, screenshot } from "./support/browser.ts";
import { expectFocusOn, openPage, tabTo } from "./support/pages-checks.ts";
import { type PagesStack, inviteUser, usePagesStackAndBrowser } from "./support/pages-stack.ts";

setDefaultTimeout(180_000);

const PASSWORD = "Corr3ct-Horse!Battery";

let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser((started) => ({ stack, browser } = started));

describe("enrollment by keyboard alone", () => {
  test("no MFA asked and the VPN step optional: Tab, type and Enter to an active account without a device", async () => {
    const patched = await stack.admin.call("PATCH", "/api/v1/settings", { enrollment_mfa_required: false, enrollment_vpn_step_optional: true });
    expect(patched.status).toBe(200);
    const { url } = await inviteUser(stack, "keyboarduser", "Kim");
    const context = await newContext(browser, "desktop");
    const page = await context.newPage();
    const calls = recordApiCalls(page);
    const shot = (name: string) => screenshot(page, `enrollment-keyboard-${name}`);
    try {
      await openPage(page, url);
      await expectFocusOn(page, "Welcome, Kim");
      expect(await page.locator("[data-step=mfa]").isHidden()).toBe(true);
      await tabTo(page, "Let's start");
      await page.keyboard.press("Enter");

      await expectFocusOn(page, "Your details");
      await tabTo(page, "Phone number (optional)");
      await page.keyboard.type("12-34");
      await page.keyboard.press("Enter");
      expect(await page.locator("#personal-form [data-error]").textContent()).toBe(
        "This phone number is not valid. Use 7 to 15 digits with an optional leading +, e.g. +48 123 456 789.",
      );
      await page.keyboard.press("Control+A");
      await page.keyboard.type("+1 555 0100 200");
      await page.keyboard.press("Enter");

      await expectFocusOn(page, "Choose your password");
      await tabTo(page, "New password");
      await page.keyboard.type(PASSWORD);
      await tabTo(page, "Repeat the password");
      await page.keyboard.type(PASSWORD);
      await tabTo(page, "Show password");
      await page.keyboard.press("Space");
      expect(await page.getByLabel("New password").getAttribute("type")).toBe("text");
      await tabTo(page, "Continue");
      await page.keyboard.press("Enter");

      await expectFocusOn(page, "Add your VPN device");
      await shot("01-device-optional");
      await tabTo(page, "Skip VPN setup and finish");
      await page.keyboard.press("Enter");

      await expectFocusOn(page, "You are all set");
      await shot("02-done");
      expect(calls).toEqual(["POST /api/v1/enrollment/start", "POST /api/v1/enrollment/activate_user"]);
      expect(await stack.admin.login("keyboarduser", PASSWORD)).toBe(200);
      expect((await stack.admin.call("GET", "/api/v1/device/user/keyboarduser")).body).toEqual([]);
      const user = await stack.admin.call("GET", "/api/v1/user/keyboarduser");
      expect(JSON.stringify(user.body)).toContain("+1 555 0100 200");
    } finally {
      await context.close();
    }
  });
});
