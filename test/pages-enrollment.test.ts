// A whole enrollment clicked through in headless Chromium, as a person would, against real `bun
// proxy/main.ts` and `bun core/main.ts` processes on a fresh database: TOTP set up at desktop width,
// email codes at phone width; the downloaded configuration and its QR code checked against the Core.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import ipaddr from "ipaddr.js";
import { URI } from "otpauth";
import type { Browser, Page } from "playwright-core";
import { type ViewportName, decodeQrOf, newContext, recordApiCalls, recordPageErrors, screenshot } from "./support/browser.ts";
import { type PagesStack, inviteUser, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { expectAccessibleView, expectFocusOn, openPage, parseWireguardConfig } from "./support/pages-checks.ts";

setDefaultTimeout(180_000);

const NETWORK_CIDR = "10.42.0.1/24";
const PASSWORD = "Corr3ct-Horse!Battery";
const INSTANCE = "Acme VPN";
const WELCOME = [
  "# Welcome aboard, {first_name}",
  "",
  "Read **the handbook** at [docs](https://docs.example.com/start).",
  "",
  "<script>window.__pwned = 1</script>",
  "",
  "[do not click](javascript:window.__pwned=2) <img src=x onerror=window.__pwned=3>",
].join("\n");

let stack: PagesStack;
let browser: Browser;

usePagesStackAndBrowser(async (started) => {
  ({ stack, browser } = started);
  const network = await stack.admin.call("POST", "/api/v1/network", {
    name: "Office",
    address: NETWORK_CIDR,
    port: 51820,
    endpoint: "vpn.example.com",
    allowed_ips: "10.42.0.0/16",
    dns: "10.42.0.1",
  });
  expect(network.status).toBe(201);
  const settings = await stack.admin.call("PATCH", "/api/v1/settings", {
    instance_name: INSTANCE,
    enrollment_welcome_message: WELCOME,
    enrollment_mfa_required: true,
    enrollment_vpn_step_optional: false,
  });
  expect(settings.status).toBe(200);
});

async function invite(username: string, firstName: string): Promise<string> {
  return (await inviteUser(stack, username, firstName)).url;
}

/** The X25519 public key (base64) of a WireGuard private key (base64 of the raw 32 bytes). */
function publicKeyOf(privateKeyBase64: string): string {
  const raw = Buffer.from(privateKeyBase64, "base64");
  expect(raw.length).toBe(32);
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), raw]);
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "jwk" });
  return Buffer.from(jwk.x!, "base64url").toString("base64");
}

async function setUpTotp(page: Page, shot: (name: string) => Promise<unknown>, login: string): Promise<void> {
  await page.getByRole("button", { name: "Continue" }).click();
  const qr = page.locator("#mfa-totp-qr");
  await qr.locator("svg").waitFor();
  await shot("05-mfa-totp");
  const uri = await decodeQrOf(qr);
  expect(uri).toStartWith("otpauth://totp/");
  const totp = URI.parse(uri!);
  expect(totp.issuer).toBe(INSTANCE);
  expect(totp.label).toBe(login);
  const shownSecret = (await page.locator("#mfa-totp-secret").textContent())!.replace(/\s+/g, "");
  expect(totp.secret.base32).toBe(shownSecret);
  await page.getByLabel("Code", { exact: true }).fill(totp.generate());
  await page.getByRole("button", { name: "Verify code" }).click();
}

async function setUpEmailCode(page: Page, shot: (name: string) => Promise<unknown>, email: string): Promise<void> {
  await page.getByLabel("A code sent to your email").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.locator("#mfa-email-info").waitFor();
  await shot("05-mfa-email");
  const mail = await stack.smtp.waitFor((m) => m.to.includes(email) && m.text.includes("sign-in codes by email"), 20_000);
  const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
  expect(code).toBeDefined();
  await page.getByLabel("Code", { exact: true }).fill(code!);
  await page.keyboard.press("Enter");
}

describe.each(["desktop", "phone"] as ViewportName[])("enrollment at %s width", (viewport) => {
  test("clicked through: MFA, a key made in the browser, a configuration that matches the Core, an active account", async () => {
    const login = `${viewport}user`;
    const email = `${login}@example.com`;
    const url = await invite(login, viewport === "desktop" ? "Dana" : "Pat");
    const context = await newContext(browser, viewport);
    const page = await context.newPage();
    const calls = recordApiCalls(page);
    const errors = recordPageErrors(page);
    const shot = (name: string) => screenshot(page, `enrollment-${viewport}-${name}`);
    try {
      const response = await openPage(page, url);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");

      await page.getByRole("heading", { name: /^Welcome, (Dana|Pat)$/ }).waitFor();
      expect(await page.locator("[data-time-left]").first().textContent()).toMatch(/^(10|9) minutes$/);
      expect(await page.locator("#admin-contact").textContent()).toContain("admin@");
      await expectAccessibleView(page, viewport);
      await shot("01-welcome");

      await page.getByRole("button", { name: "Let's start" }).click();
      await expectFocusOn(page, "Your details");
      await page.getByLabel("Phone number").fill("+48 123 456 789");
      await shot("02-details");
      await page.getByLabel("Phone number").press("Enter");

      await expectFocusOn(page, "Choose your password");
      const submit = page.locator("#password-form button[type=submit]");
      await page.getByLabel("New password").fill("weakpass");
      await page.getByLabel("Repeat the password").fill("weakpass");
      expect(await submit.isDisabled()).toBe(true);
      await expectAccessibleView(page, viewport);
      await shot("03-password-weak");
      await page.getByLabel("New password").fill(PASSWORD);
      await page.getByLabel("Repeat the password").fill(PASSWORD);
      expect(await submit.isEnabled()).toBe(true);
      expect(await page.locator("[data-rule].met").count()).toBe(5);
      await shot("04-password-strong");
      await page.getByLabel("Repeat the password").press("Enter");

      await expectFocusOn(page, "Set up two-factor authentication");
      if (viewport === "desktop") await setUpTotp(page, shot, login);
      else await setUpEmailCode(page, shot, email);
      await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
      expect(await page.locator("#mfa-recovery-codes li").count()).toBeGreaterThan(0);
      await shot("06-recovery-codes");
      await page.getByRole("button", { name: "I saved my recovery codes" }).click();

      await expectFocusOn(page, "Add your VPN device");
      expect(await page.locator("#device-skip").isHidden()).toBe(true); // the VPN step is required here
      await page.getByLabel("Device name").fill(viewport === "desktop" ? "Work laptop" : "Phone");
      await expectAccessibleView(page, viewport);
      await shot("07-device");
      await page.getByRole("button", { name: "Create device" }).click();

      await expectFocusOn(page, "Your VPN configuration");
      const qr = page.locator("[data-config-qr]");
      await qr.locator("svg").waitFor();
      await expectAccessibleView(page, viewport);
      await shot("08-config");

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /^Download .*\.conf$/ }).click()]);
      expect(download.suggestedFilename()).toBe("Office.conf");
      const fileText = readFileSync((await download.path())!, "utf8");
      const config = parseWireguardConfig(fileText);
      expect(await page.locator("[data-config=text]").textContent()).toBe(fileText);
      expect(await decodeQrOf(qr)).toBe(fileText);

      const devices = await stack.admin.call("GET", `/api/v1/device/user/${login}`);
      expect(devices.status).toBe(200);
      expect(devices.body).toHaveLength(1);
      expect(publicKeyOf(config.interface.PrivateKey!)).toBe(devices.body[0].pubkey);
      const address = config.interface.Address!.split(",")[0]!.trim();
      const [networkAddress, bits] = ipaddr.parseCIDR(NETWORK_CIDR);
      expect(ipaddr.parse(address.split("/")[0]!).match(networkAddress, bits)).toBe(true);
      expect(devices.body[0].networks[0].addresses).toEqual([address.split("/")[0]]);
      expect(config.peer.Endpoint).toBe("vpn.example.com:51820");

      expect(await stack.admin.login(login, PASSWORD)).toBe(401); // not active before the last step
      await page.getByRole("button", { name: "Finish enrollment" }).click();
      await expectFocusOn(page, "You are all set");
      const final = page.locator("#final-content");
      expect(await final.locator("h1").textContent()).toBe(`Welcome aboard, ${viewport === "desktop" ? "Dana" : "Pat"}`);
      expect(await final.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual(["https://docs.example.com/start"]);
      expect(await final.locator("script, img").count()).toBe(0);
      expect(await final.textContent()).toContain("<script>window.__pwned = 1</script>");
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await shot("09-done");

      // The password is right; the account now has TOTP, so the admin API asks for it (201 {mfa_method}).
      expect(await stack.admin.login(login, PASSWORD)).toBe(201);
      const mfaCalls = ["POST /api/v1/enrollment/register-mfa/code/start", "POST /api/v1/enrollment/register-mfa/code/finish"];
      expect(calls).toEqual(["POST /api/v1/enrollment/start", ...mfaCalls, "POST /api/v1/enrollment/create_device", "POST /api/v1/enrollment/activate_user"]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

