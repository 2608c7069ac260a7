// A password reset clicked through in headless Chromium, from the start page to a login with the new
// password: the link comes from the mail the Core sent to the tests' SMTP server. A weak password is
// refused on the page, before anything is sent.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { type ViewportName, newContext, recordApiCalls, recordPageErrors, screenshot } from "./support/browser.ts";
import { expectAccessibleView, expectFocusOn, openPage } from "./support/pages-checks.ts";
import { type PagesStack, usePagesStackAndBrowser } from "./support/pages-stack.ts";

setDefaultTimeout(180_000);

const OLD_PASSWORD = "0ld-Password!";
const NEW_PASSWORD = "N3w-Password?";

let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser((started) => ({ stack, browser } = started));

describe.each(["desktop", "phone"] as ViewportName[])("password reset at %s width", (viewport) => {
  test("from the start page, by the mailed link, to a login with the new password; a weak one is never sent", async () => {
    const username = `reset${viewport}`;
    const email = `${username}@example.com`;
    const created = await stack.admin.call("POST", "/api/v1/user", { username, first_name: "Robin", last_name: "Reset", email, password: OLD_PASSWORD });
    expect(created.status).toBe(201);
    expect(await stack.admin.login(username, OLD_PASSWORD)).toBe(200);

    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    const calls = recordApiCalls(page);
    const errors = recordPageErrors(page);
    const shot = (name: string) => screenshot(page, `password-reset-${viewport}-${name}`);
    try {
      await openPage(page, stack.baseUrl);
      await page.getByRole("heading", { name: "Welcome" }).waitFor();
      await expectAccessibleView(page, viewport);
      await shot("01-start-page");
      await page.getByRole("link", { name: "Reset my password" }).click();
      await page.locator("body[data-ready=true]").waitFor({ state: "attached" });

      await page.getByRole("heading", { name: "Reset your password" }).waitFor();
      await page.getByLabel("Email address").fill("not-an-address");
      await page.getByLabel("Email address").press("Enter");
      expect(await page.locator("#reset-request-form [data-error]").textContent()).toBe(
        "Enter the email address of your account, e.g. name@example.com.",
      );
      expect(calls).toEqual([]);
      await page.getByLabel("Email address").fill(email);
      await expectAccessibleView(page, viewport);
      await shot("02-request");
      await page.getByRole("button", { name: "Send me a link" }).click();
      await expectFocusOn(page, "Check your inbox");
      expect(await page.locator("#reset-sent-email").textContent()).toBe(email);
      // The answer is the same when mail is not configured (Defguard's Core answers so too): the page says what to do then.
      expect((await page.locator("#reset-sent-hint").innerText()).replace(/\s+/g, " ")).toBe(
        "Nothing arrived after a few minutes? Look in your spam folder. Still nothing: ask your administrator, who can check that this server sends mail (this page cannot tell).",
      );
      await shot("03-check-inbox");

      const mail = await stack.smtp.waitFor((m) => m.to.includes(email) && m.text.includes("/password-reset?token="), 20_000);
      const link = /(http:\/\/\S+\/password-reset\?token=[A-Za-z0-9]+)/.exec(mail.text)?.[1];
      expect(link).toStartWith(`${stack.baseUrl}/password-reset?token=`);
      await openPage(page, link!);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      expect(await page.locator("[data-time-left]").textContent()).toMatch(/^(10|9) minutes$/);

      const submit = page.getByRole("button", { name: "Change my password" });
      await page.getByLabel("New password").fill("password1");
      await page.getByLabel("Repeat the password").fill("password1");
      await page.getByLabel("Repeat the password").press("Enter");
      expect(await submit.isDisabled()).toBe(true);
      expect(await page.locator("[data-rule].met").count()).toBe(3);
      expect(await page.locator("[data-rule=uppercase] [data-rule-state]").textContent()).toBe("not met");
      await expectAccessibleView(page, viewport);
      await shot("04-weak-password");
      await page.getByLabel("New password").fill(NEW_PASSWORD);
      await page.getByLabel("Repeat the password").fill(`${NEW_PASSWORD}x`);
      expect(await page.locator("[data-password-mismatch]").isVisible()).toBe(true);
      expect(await submit.isDisabled()).toBe(true);
      await page.getByLabel("Repeat the password").fill(NEW_PASSWORD);
      expect(await submit.isEnabled()).toBe(true);
      await shot("05-strong-password");
      expect(calls).toEqual(["POST /api/v1/password-reset/request", "POST /api/v1/password-reset/start"]);

      await submit.click();
      await expectFocusOn(page, "Your password was changed");
      await shot("06-changed");
      expect(calls.at(-1)).toBe("POST /api/v1/password-reset/reset");
      expect(await stack.admin.login(username, NEW_PASSWORD)).toBe(200);
      expect(await stack.admin.login(username, OLD_PASSWORD)).toBe(401);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
