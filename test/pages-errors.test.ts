// What a person sees when something goes wrong, in headless Chromium against real processes: an
// expired or used link, a Core that is not connected (before the page loads, and in the middle of a
// step), and the network failing in the middle of a step (the retry keeps what was typed, and a device
// the Core made before the answer was lost is found again rather than made twice).
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { hashToken } from "../core/tokens.ts";
import { NETWORK_MESSAGE, UNAVAILABLE_MESSAGE } from "../proxy/pages/client/messages.ts";
import { VIEWPORTS, type ViewportName, launchBrowser, newContext, recordApiCalls, screenshot } from "./support/browser.ts";
import { expectAccessibleView, expectFocusOn, openPage } from "./support/pages-checks.ts";
import { type PagesStack, startPagesStack } from "./support/pages-stack.ts";

setDefaultTimeout(180_000);

const VIEWPORT_NAMES = Object.keys(VIEWPORTS) as ViewportName[];
let stack: PagesStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startPagesStack();
  browser = await launchBrowser();
  const network = await stack.admin.call("POST", "/api/v1/network", {
    name: "Lab",
    address: "10.77.0.1/24",
    port: 51820,
    endpoint: "lab.example.com",
    allowed_ips: "10.77.0.0/24",
  });
  expect(network.status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

let userCount = 0;

/** A new user and the token of their enrollment link. */
async function invite(): Promise<{ username: string; token: string; url: string }> {
  const username = `err${++userCount}`;
  const user = await stack.admin.call("POST", "/api/v1/user", { username, first_name: "Eve", last_name: "Error", email: `${username}@example.com` });
  expect(user.status).toBe(201);
  const started = await stack.admin.call("POST", `/api/v1/user/${username}/start_enrollment`, {});
  expect(started.status).toBe(201);
  return { username, token: started.body.enrollment_token, url: started.body.enrollment_url };
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

/** Walks an opened enrollment (no MFA asked) to the device step. */
async function walkToDeviceStep(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Let's start" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("New password").fill("Val1d-Password");
  await page.getByLabel("Repeat the password").fill("Val1d-Password");
  await page.getByRole("button", { name: "Continue" }).click();
  await expectFocusOn(page, "Add your VPN device");
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

describe("the network fails in the middle of a step", () => {
  test("the device step: a refused connection keeps the name typed, the retry creates the device", async () => {
    const { url, username } = await invite();
    await atEachWidth(async (page, viewport) => {
      if (viewport === "phone") return; // one device per invitation: the phone width is covered below
      const calls = recordApiCalls(page);
      await openPage(page, url);
      await walkToDeviceStep(page);
      await page.getByLabel("Device name").fill("Desk");
      await page.route("**/api/v1/enrollment/create_device", (route) => route.abort("internetdisconnected"), { times: 1 });
      await page.getByRole("button", { name: "Create device" }).click();
      await page.locator("#device-form [data-error]").filter({ hasText: NETWORK_MESSAGE }).waitFor();
      expect(await page.getByLabel("Device name").inputValue()).toBe("Desk");
      await screenshot(page, `errors-${viewport}-network-failure`);
      await page.getByRole("button", { name: "Create device" }).click();
      await expectFocusOn(page, "Your VPN configuration");
      expect(calls.filter((c) => c.endsWith("/create_device"))).toHaveLength(2);
    });
    const devices = await stack.admin.call("GET", `/api/v1/device/user/${username}`);
    expect(devices.body.map((d: { name: string }) => d.name)).toEqual(["Desk"]);
  });

  test("an answer lost after the Core made the device: the retry finds it (network_info) with the same key", async () => {
    const { url, username } = await invite();
    const context = await newContext(browser, "phone");
    try {
      const page = await context.newPage();
      const calls = recordApiCalls(page);
      await openPage(page, url);
      await walkToDeviceStep(page);
      await page.getByLabel("Device name").fill("Tablet");
      await page.route(
        "**/api/v1/enrollment/create_device",
        async (route) => {
          await route.fetch(); // the request reaches the Core; its answer never reaches the page
          await route.abort("connectionreset");
        },
        { times: 1 },
      );
      await page.getByRole("button", { name: "Create device" }).click();
      await page.locator("#device-form [data-error]").filter({ hasText: NETWORK_MESSAGE }).waitFor();
      await page.getByRole("button", { name: "Create device" }).click();
      await expectFocusOn(page, "Your VPN configuration");
      const devices = await stack.admin.call("GET", `/api/v1/device/user/${username}`);
      expect(devices.body).toHaveLength(1);
      const text = (await page.locator("[data-config=text]").textContent())!;
      expect(text).not.toContain("YOUR_PRIVATE_KEY");
      expect(calls.slice(-2)).toEqual(["POST /api/v1/enrollment/create_device", "POST /api/v1/enrollment/network_info"]);
      await page.getByRole("button", { name: "Finish enrollment" }).click();
      await expectFocusOn(page, "You are all set");
    } finally {
      await context.close();
    }
  });
});

describe("a pasted public key", () => {
  test("a malformed key is refused on the page; a good one gives the configuration with the placeholder and no QR code", async () => {
    const { url, username } = await invite();
    const context = await newContext(browser, "desktop");
    try {
      const page = await context.newPage();
      const calls = recordApiCalls(page);
      await openPage(page, url);
      await walkToDeviceStep(page);
      await page.getByLabel("Device name").fill("Router");
      await page.getByLabel("I already have a WireGuard public key").check();
      await page.getByLabel("WireGuard public key", { exact: true }).fill("not-a-key");
      await page.getByRole("button", { name: "Create device" }).click();
      expect(await page.locator("#device-form [data-error]").textContent()).toStartWith("This is not a WireGuard public key");
      expect(calls.filter((c) => c.endsWith("/create_device"))).toEqual([]);
      const pubkey = Buffer.alloc(32, 7).toString("base64");
      await page.getByLabel("WireGuard public key", { exact: true }).fill(pubkey);
      await page.getByRole("button", { name: "Create device" }).click();
      await expectFocusOn(page, "Your VPN configuration");
      expect(await page.locator("[data-config=text]").textContent()).toContain("PrivateKey = YOUR_PRIVATE_KEY");
      expect(await page.locator("[data-config-qr-block]").isHidden()).toBe(true);
      const devices = await stack.admin.call("GET", `/api/v1/device/user/${username}`);
      expect(devices.body[0].pubkey).toBe(pubkey);
      await screenshot(page, "errors-desktop-pasted-key");
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
      const network = { name: "Own", address: "10.78.0.1/24", port: 51820, endpoint: "own.example.com", allowed_ips: "10.78.0.0/24" };
      expect((await own.admin.call("POST", "/api/v1/network", network)).status).toBe(201);
      expect((await own.admin.call("POST", "/api/v1/user", { username: "mid", first_name: "Mia", last_name: "Mid", email: "mid@example.com" })).status).toBe(201);
      const started = await own.admin.call("POST", "/api/v1/user/mid/start_enrollment", {});
      const page = await context.newPage();
      await openPage(page, started.body.enrollment_url);
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
