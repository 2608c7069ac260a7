// The device step in headless Chromium when things go wrong, against real processes: the network fails
// (the retry keeps what was typed, and a device the Core made before its answer was lost is found again
// rather than made twice), a pasted public key (checked on the page), a browser without X25519.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { NETWORK_MESSAGE } from "../proxy/pages/client/messages.ts";
import { type ViewportName, newContext, recordApiCalls, screenshot } from "./support/browser.ts";
import { expectFocusOn, openPage } from "./support/pages-checks.ts";
import { type PagesStack, addNetwork, inviteUser, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { walkToDeviceStep } from "./support/pages-walk.ts";

setDefaultTimeout(180_000);

let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser(async (started) => {
  ({ stack, browser } = started);
  await addNetwork(stack, "Lab", "10.77.0.1/24");
});

let userCount = 0;

async function invite(): Promise<{ username: string; url: string }> {
  const username = `dev${++userCount}`;
  return { username, ...(await inviteUser(stack, username, "Dev")) };
}

/**
 * A new user's enrollment page walked to the device step, in a fresh browser context of `viewport` that
 * is closed after `fn`; `prepare` runs on the page before it opens. `calls` records its API requests.
 */
async function atDeviceStep(
  viewport: ViewportName,
  fn: (at: { page: Page; calls: string[]; username: string }) => Promise<void>,
  prepare?: (page: Page) => Promise<unknown>,
): Promise<void> {
  const { url, username } = await invite();
  const context = await newContext(browser, viewport);
  try {
    const page = await context.newPage();
    await prepare?.(page);
    const calls = recordApiCalls(page);
    await openPage(page, url);
    await walkToDeviceStep(page);
    await fn({ page, calls, username });
  } finally {
    await context.close();
  }
}

describe("the network fails in the middle of a step", () => {
  test("the device step: a refused connection keeps the name typed, the retry creates the device", async () => {
    await atDeviceStep("desktop", async ({ page, calls, username }) => {
      await page.getByLabel("Device name").fill("Desk");
      await page.route("**/api/v1/enrollment/create_device", (route) => route.abort("internetdisconnected"), { times: 1 });
      await page.getByRole("button", { name: "Create device" }).click();
      await page.locator("#device-form [data-error]").filter({ hasText: NETWORK_MESSAGE }).waitFor();
      expect(await page.getByLabel("Device name").inputValue()).toBe("Desk");
      await screenshot(page, "device-desktop-network-failure");
      await page.getByRole("button", { name: "Create device" }).click();
      await expectFocusOn(page, "Your VPN configuration");
      expect(calls.filter((c) => c.endsWith("/create_device"))).toHaveLength(2);
      const devices = await stack.admin.call("GET", `/api/v1/device/user/${username}`);
      expect(devices.body.map((d: { name: string }) => d.name)).toEqual(["Desk"]);
    });
  });

  test("an answer lost after the Core made the device: the retry finds it (network_info) with the same key", async () => {
    await atDeviceStep("phone", async ({ page, calls, username }) => {
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
    });
  });
});

describe("a pasted public key", () => {
  test("a malformed key is refused on the page; a good one gives the configuration with the placeholder and no QR code", async () => {
    await atDeviceStep("desktop", async ({ page, calls, username }) => {
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
      await screenshot(page, "device-desktop-pasted-key");
    });
  });
});

describe("a browser that cannot make X25519 keys", () => {
  test("says so and points to pasting a public key; nothing is sent", async () => {
    const withoutX25519 = (page: Page) =>
      page.addInitScript(() => {
        const subtle = crypto.subtle as unknown as { generateKey: () => Promise<never> };
        subtle.generateKey = () => Promise.reject(new DOMException("Algorithm: Unrecognized name", "NotSupportedError"));
      });
    await atDeviceStep("phone", async ({ page, calls }) => {
      await page.getByLabel("Device name").fill("Old phone");
      await page.getByRole("button", { name: "Create device" }).click();
      await page.locator("#device-form [data-error]").filter({ hasText: "X25519" }).waitFor();
      expect(await page.locator("#device-form [data-error]").textContent()).toBe(
        'This browser cannot make WireGuard (X25519) keys. Or choose "I already have a WireGuard public key".',
      );
      expect(calls.filter((c) => c.endsWith("/create_device"))).toEqual([]);
      await screenshot(page, "device-phone-no-x25519");
    }, withoutX25519);
  });
});
