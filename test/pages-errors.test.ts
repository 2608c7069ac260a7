// What a person sees when something goes wrong, in headless Chromium against real processes: an
// expired or used link, a session that runs out, a Core that is not connected (before the page loads,
// and in the middle of a step), and a token field given something that is not a token.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { hashToken } from "../core/tokens.ts";
import { DESKTOP_CLIENT_ONLY_MESSAGE, DESKTOP_CLIENT_ONLY_TITLE, UNAVAILABLE_MESSAGE } from "../proxy/pages/client/messages.ts";
import { VIEWPORTS, type ViewportName, newContext, screenshot } from "./support/browser.ts";
import { expectAccessibleView, expectFocusOn, openPage } from "./support/pages-checks.ts";
import { type PagesStack, addNetwork, inviteUser, startPagesStack, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { walkToDeviceStep } from "./support/pages-walk.ts";

setDefaultTimeout(180_000);

const VIEWPORT_NAMES = Object.keys(VIEWPORTS) as ViewportName[];
let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser((started) => ({ stack, browser } = started));

let userCount = 0;

/** A new user called Eve and the token of their enrollment link. */
async function invite(): Promise<{ username: string; token: string; url: string }> {
  const username = `err${++userCount}`;
  return { username, ...(await inviteUser(stack, username, "Eve")) };
}

/** Runs `body` with a fresh page at each width. */
async function atEachWidth(body: (page: Page, viewport: ViewportName) => Promise<void>): Promise<void> {
  for (const viewport of VIEWPORT_NAMES) {
    const context = await newContext(browser, viewport);
    try {
      await body(await context.newPage(), viewport);
    } finally {
      await context.close();
    }
  }
}

describe.skipIf(process.env.DEFGUARD_TEST_DATABASE === "embedded")("links that cannot be used", () => {
  test("an expired enrollment link: the page says so and what to do, at both widths", async () => {
    const { token, url } = await invite();
    await stack.db.sql`UPDATE tokens SET expires_at = now() - interval '1 second' WHERE token_hash = ${hashToken(token)}`;
    await atEachWidth(async (page, viewport) => {
      await openPage(page, url);
      await expectFocusOn(page, "This enrollment link cannot be used");
      expect(await page.locator("#problem-message").textContent()).toBe("Enrollment token expired: ask your administrator for a new one.");
      expect(await page.locator("#problem-retry").isHidden()).toBe(true);
      await expectAccessibleView(page, viewport);
      await screenshot(page, `errors-${viewport}-expired-link`);
    });
  });

  test("only client activation: the enrollment page sends the person to the desktop client", async () => {
    const { url } = await invite();
    await stack.db.sql`UPDATE settings SET only_client_activation = true WHERE id = 1`;
    try {
      await atEachWidth(async (page, viewport) => {
        await openPage(page, url);
        await expectFocusOn(page, DESKTOP_CLIENT_ONLY_TITLE);
        expect(await page.locator("#problem-message").textContent()).toBe(DESKTOP_CLIENT_ONLY_MESSAGE);
        expect(await page.locator("#problem-retry").isHidden()).toBe(true);
        await expectAccessibleView(page, viewport);
      });
    } finally {
      await stack.db.sql`UPDATE settings SET only_client_activation = false WHERE id = 1`;
    }
  });

  test("a used enrollment link and an unknown password-reset link", async () => {
    const { token, url } = await invite();
    await stack.db.sql`UPDATE tokens SET used_at = now() WHERE token_hash = ${hashToken(token)}`;
    await atEachWidth(async (page, viewport) => {
      await openPage(page, url);
      await expectFocusOn(page, "This enrollment link cannot be used");
      expect(await page.locator("#problem-message").textContent()).toBe("Enrollment token already used: ask your administrator for a new one.");
      await screenshot(page, `errors-${viewport}-used-link`);

      await openPage(page, `${stack.baseUrl}/password-reset?token=${"x".repeat(32)}`);
      await expectFocusOn(page, "This password-reset link cannot be used");
      expect(await page.locator("#problem-message").textContent()).not.toBe("");
      expect(await page.getByRole("link", { name: "Ask for a new link" }).getAttribute("href")).toBe("/password-reset");
      await screenshot(page, `errors-${viewport}-bad-reset-link`);
    });
  });
});

describe("the session runs out while the page is open", () => {
  test("the countdown reaches zero: the page says the session ended and what to do", async () => {
    const { url } = await invite();
    const context = await newContext(browser, "phone");
    try {
      const page = await context.newPage();
      await page.clock.install();
      await openPage(page, url);
      await expectFocusOn(page, "Welcome, Eve");
      await page.clock.fastForward("09:00");
      expect(await page.locator("[data-time-left]").textContent()).toMatch(/^(1 minute|less than a minute)$/);
      await page.clock.fastForward("02:00");
      await expectFocusOn(page, "Your enrollment session has ended");
      expect(await page.locator("#problem-message").textContent()).toBe(
        "The time to finish the enrollment is over. Ask your administrator for a new enrollment link.",
      );
      await screenshot(page, "errors-phone-session-ended");
    } finally {
      await context.close();
    }
  });
});

describe("a Core that is not connected", () => {
  test("before the page loads: enrollment and reset pages say the service is unavailable (503), the start page warns", async () => {
    const alone = await startPagesStack({ core: false });
    try {
      await atEachWidth(async (page, viewport) => {
        const enrollment = await openPage(page, `${alone.baseUrl}/enrollment?token=${"A".repeat(32)}`);
        expect(enrollment?.status()).toBe(503);
        expect(await page.getByRole("heading", { name: "Service unavailable" }).isVisible()).toBe(true);
        expect(await page.locator("#problem-message").textContent()).toBe(UNAVAILABLE_MESSAGE);
        expect(await page.getByRole("link", { name: "Try again" }).getAttribute("href")).toBe(`/enrollment?token=${"A".repeat(32)}`);
        await expectAccessibleView(page, viewport);
        await screenshot(page, `errors-${viewport}-core-down-enrollment`);

        const reset = await openPage(page, `${alone.baseUrl}/password-reset?token=${"B".repeat(32)}`);
        expect(reset?.status()).toBe(503);
        expect(await page.locator("#problem-message").textContent()).toBe(UNAVAILABLE_MESSAGE);

        await openPage(page, alone.baseUrl);
        expect(await page.locator(".notice.warning").textContent()).toBe(UNAVAILABLE_MESSAGE);
        await screenshot(page, `errors-${viewport}-core-down-start-page`);

        await openPage(page, `${alone.baseUrl}/password-reset`);
        await page.getByLabel("Email address").fill("someone@example.com");
        await page.getByRole("button", { name: "Send me a link" }).click();
        await page.locator("#reset-request-form [data-error]").filter({ hasText: UNAVAILABLE_MESSAGE }).waitFor();
        expect(await page.getByLabel("Email address").inputValue()).toBe("someone@example.com");
      });
    } finally {
      await alone.stop();
    }
  });

  test("in the middle of a step: the Core stops, the step says the service is unavailable and keeps what was typed", async () => {
    const own = await startPagesStack();
    const context = await newContext(browser, "phone");
    try {
      await addNetwork(own, "Own", "10.78.0.1/24");
      const { url } = await inviteUser(own, "mid", "Mia");
      const page = await context.newPage();
      await openPage(page, url);
      await walkToDeviceStep(page);
      await own.core!.stop();
      await page.getByLabel("Device name").fill("Phone");
      await page.getByRole("button", { name: "Create device" }).click();
      await page.locator("#device-form [data-error]").filter({ hasText: UNAVAILABLE_MESSAGE }).waitFor();
      expect(await page.getByLabel("Device name").inputValue()).toBe("Phone");
      await screenshot(page, "errors-phone-core-down-mid-step");
    } finally {
      await context.close();
      await own.stop();
    }
  });
});

describe("the token field of the start page", () => {
  test("a pasted link opens its enrollment; text without a token says so", async () => {
    const { url, token } = await invite();
    const context = await newContext(browser, "desktop");
    try {
      const page = await context.newPage();
      await openPage(page, stack.baseUrl);
      await page.getByLabel("Enrollment token").fill(`  ${url}  `);
      await page.getByLabel("Enrollment token").press("Enter");
      await page.getByRole("heading", { name: "Welcome, Eve" }).waitFor();
      expect(new URL(page.url()).search).toBe(`?token=${token}`);

      await openPage(page, stack.baseUrl);
      await page.getByLabel("Enrollment token").fill("no token here!");
      await page.getByRole("button", { name: "Start enrollment" }).click();
      await page.locator("#enroll-token-error").waitFor();
      expect(await page.locator("#enroll-token-error").textContent()).toBe("This is not an enrollment token or link.");
      expect(await page.getByLabel("Enrollment token").getAttribute("aria-invalid")).toBe("true");
    } finally {
      await context.close();
    }
  });
});
