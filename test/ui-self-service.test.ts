// Self-service on the Core's admin UI in headless Chromium against real processes: an employee sets up
// TOTP (the QR code read back as the otpauth URI), saves recovery codes, signs in again with a TOTP
// code, adds a device whose keys the browser made (its configuration downloaded and read from the QR
// code), removes it, and makes a desktop-client link; a recovery code signs in once.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { TOTP_PERIOD_S, codeAt } from "../core/mfa/one-time-codes.ts";
import { decodeQrOf } from "./support/browser.ts";
import { openPage } from "./support/pages-checks.ts";
import { type PagesStack, addNetwork, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { afterNavigation, signIn, uiPage, uiShot, visitUiPage } from "./support/ui-pages.ts";

setDefaultTimeout(180_000);

const PASSWORD = "Empl0yee!pass";

let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser(async (started) => {
  ({ stack, browser } = started);
  await addNetwork(stack, "Office", "10.61.0.1/24");
  const made = await stack.admin.call("POST", "/api/v1/user", { username: "erin", first_name: "Erin", last_name: "Employee", email: "erin@example.com", password: PASSWORD });
  if (made.status !== 201) throw new Error(`creating erin: ${made.status}`);
});

/** A TOTP code of `secret` for the next step, so that it is not the one used just before. */
function freshCode(secret: string, offsetSteps = 0): string {
  return codeAt(secret, TOTP_PERIOD_S, Date.now() + offsetSteps * TOTP_PERIOD_S * 1000);
}

async function signInWithSecondFactor(page: Page, code: string, method: "totp" | "recovery" = "totp"): Promise<void> {
  await openPage(page, `${stack.adminUrl}/ui/login`);
  await page.getByLabel("Username or email").fill("erin");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Second step" }).waitFor();
  if (method === "recovery") await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Code", { exact: true }).fill(code);
  await Promise.all([page.waitForURL(`${stack.adminUrl}/ui/account`), page.getByRole("button", { name: "Verify" }).click()]);
}

describe("self-service", () => {
  let secret = "";
  let recoveryCodes: string[] = [];

  test("an employee sets up TOTP from the QR code and keeps the recovery codes", async () => {
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "erin", PASSWORD);
      expect(new URL(page.url()).pathname).toBe("/ui/account");
      await page.getByRole("button", { name: "Set up an authenticator app" }).click();
      await page.locator("[data-totp-key]:not(:empty)").waitFor();
      secret = (await page.locator("[data-totp-key]").textContent())!;
      expect(await decodeQrOf(page.locator("[data-totp-qr]"))).toBe(`otpauth://totp/Defguard:erin?issuer=Defguard&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
      await uiShot(page, "account-totp-setup", "desktop");
      await page.getByLabel("Code from the app").fill("000000" === freshCode(secret) ? "111111" : "000000");
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.locator("[data-mfa-confirm=totp] [data-field-error=code]:not([hidden]), [data-mfa-confirm=totp] [data-error]:not(:empty)").first().waitFor();
      expect(await page.locator("[data-mfa-confirm=totp] [data-error]").textContent()).toBe("wrong code: check the clock of your device and enter the current code");
      await page.getByLabel("Code from the app").fill(freshCode(secret));
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.locator("[data-recovery]:not([hidden])").waitFor();
      recoveryCodes = await page.locator("[data-recovery-list] li").allTextContents();
      expect(recoveryCodes).toHaveLength(8);
      await uiShot(page, "account-recovery-codes", "desktop");
      await afterNavigation(page, () => page.getByRole("link", { name: "I saved them" }).click());
      expect(await page.getByRole("button", { name: "Turn off TOTP" }).count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("signing in now asks for the TOTP code; a recovery code works once", async () => {
    const { context, page, errors } = await uiPage(browser, "phone");
    try {
      await signInWithSecondFactor(page, freshCode(secret, 1));
      await uiShot(page, "account-signed-in-with-totp", "phone");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${stack.adminUrl}/ui/login`);
      await signInWithSecondFactor(page, recoveryCodes[0]!, "recovery");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${stack.adminUrl}/ui/login`);
      // The same recovery code again: refused in words.
      await page.getByLabel("Username or email").fill("erin");
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Second step" }).waitFor();
      await uiShot(page, "sign-in-second-step", "phone");
      await page.getByRole("button", { name: "Use a recovery code" }).click();
      await page.getByLabel("Code", { exact: true }).fill(recoveryCodes[0]!);
      await page.getByRole("button", { name: "Verify" }).click();
      await page.locator("#mfa-form [data-error]:not(:empty)").waitFor();
      expect(await page.locator("#mfa-form [data-error]").textContent()).toBe("invalid recovery code");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("an employee adds a device with keys made in the browser, downloads and scans its configuration, then removes it", async () => {
    const { context, page, errors } = await uiPage(browser, "phone");
    try {
      await signInWithSecondFactor(page, recoveryCodes[1]!, "recovery");
      await page.getByLabel("Device name").fill("erin-phone");
      await page.getByRole("button", { name: "Add device" }).click();
      await page.getByRole("heading", { name: "Device added" }).waitFor();
      const text = (await page.locator("[data-config=text]").textContent())!;
      expect(text).toMatch(/^\[Interface\]\nPrivateKey = [A-Za-z0-9+/]{43}=\nAddress = 10\.61\.0\.2\n\n\[Peer\]\nPublicKey = /);
      expect(await decodeQrOf(page.locator("[data-config-qr]"))).toBe(text);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download Office.conf" }).click()]);
      expect(download.suggestedFilename()).toBe("Office.conf");
      expect(await Bun.file((await download.path())!).text()).toBe(text);
      await uiShot(page, "account-device-added", "phone");
      const devices = await stack.admin.call("GET", "/api/v1/device/user/erin");
      expect(devices.body.map((d: { name: string }) => d.name)).toEqual(["erin-phone"]);
      expect(text).not.toContain(devices.body[0].pubkey);

      await afterNavigation(page, () => page.getByRole("link", { name: "Done" }).click());
      await page.getByLabel("Device name").fill("erin-phone");
      await page.getByRole("button", { name: "Add device" }).click();
      await page.locator("[data-field-error=name]:not([hidden])").waitFor();
      expect(await page.locator("[data-field-error=name]").textContent()).toBe("device name already in use: choose another name");
      await afterNavigation(page, () => page.getByRole("button", { name: "Remove erin-phone" }).click());
      expect((await stack.admin.call("GET", "/api/v1/device/user/erin")).body).toEqual([]);

      await page.getByRole("button", { name: "Make an activation link" }).click();
      const link = page.getByLabel("Link to send (valid for one use)");
      await link.waitFor();
      expect(await link.inputValue()).toMatch(new RegExp(`^${stack.baseUrl}/\\?token=[A-Za-z0-9]{32}$`));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("an admin makes a password-reset link for the employee and turns off their MFA", async () => {
    const made = await stack.admin.call("POST", "/api/v1/user", { username: "helper", first_name: "Hal", last_name: "Helper", email: "hal@example.com", password: PASSWORD });
    expect(made.status).toBe(201);
    expect((await stack.admin.call("POST", "/api/v1/group/admin/user/helper", {})).status).toBe(200);
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "helper", PASSWORD);
      await openPage(page, `${stack.adminUrl}/ui/users/erin`);
      await page.getByRole("button", { name: "Make a password-reset link" }).click();
      const link = page.getByLabel("Link to send (valid for one use)").nth(1);
      await link.waitFor();
      expect(await link.inputValue()).toMatch(new RegExp(`^${stack.baseUrl}/password-reset\\?token=[A-Za-z0-9]{32}$`));
      await afterNavigation(page, () => page.getByRole("button", { name: "Turn off MFA" }).click());
      expect((await stack.admin.call("GET", "/api/v1/user/erin")).body).toMatchObject({ mfa_enabled: false, totp_enabled: false });
      expect(await page.getByRole("button", { name: "Turn off MFA" }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("the account page renders labelled and fitting at both widths", async () => {
    for (const viewport of ["desktop", "phone"] as const) {
      const { context, page, errors } = await uiPage(browser, viewport);
      try {
        await signIn(page, stack.adminUrl, "erin", PASSWORD);
        await visitUiPage(page, errors, stack.adminUrl, "/ui/account", "account-employee", viewport);
      } finally {
        await context.close();
      }
    }
  });
});
