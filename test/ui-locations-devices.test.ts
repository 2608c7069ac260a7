// The admin UI's Locations and Devices pages in headless Chromium against real processes (proxy, core
// with its gateway server, database): a location created with the API's refusals beside the fields, a
// gateway token and the command lines, a real gRPC gateway showing up in the live list with the devices'
// figures it reports; a device added with keys made in the browser (configuration and QR code with the
// private key), a pasted key refused beside its field, a configuration downloaded, a device removed.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { gatewayCommands } from "../core/admin-ui/gateway-commands.ts";
import { type ViewportName, decodeQrOf } from "./support/browser.ts";
import { expectAccessibleView, openPage, tabTo } from "./support/pages-checks.ts";
import { type PagesStack, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { type TestGateway, connectTestGateway } from "./support/test-gateway.ts";
import { afterNavigation, signIn, uiPage, uiShot, visitUiPage } from "./support/ui-pages.ts";

setDefaultTimeout(180_000);

const STRONG = "Str0ng!Passw0rd";
const GATEWAY_SECRET = "a-gateway-secret-of-at-least-32-characters";

let stack: PagesStack;
let browser: Browser;
let gatewayPort: number;
usePagesStackAndBrowser(
  async (started) => {
    ({ stack, browser } = started);
    gatewayPort = Number(/:(\d+)\s*$/.exec(await stack.core!.waitFor("Gateway gRPC server is listening on"))?.[1]);
    const made = await stack.admin.call("POST", "/api/v1/user", { username: "lena", first_name: "Lena", last_name: "Admin", email: "lena@example.com", password: STRONG });
    expect(made.status).toBe(201);
    expect((await stack.admin.call("POST", "/api/v1/group/admin/user/lena", {})).status).toBe(200);
  },
  { coreEnv: { DEFGUARD_GATEWAY_SECRET: GATEWAY_SECRET, DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1", DEFGUARD_GRPC_PORT: "0" } },
);

let page: Page;
let errors: string[];
let locationId: number;

beforeAll(async () => {
  ({ page, errors } = await uiPage(browser, "desktop"));
  await signIn(page, stack.adminUrl, "lena", STRONG);
});

const fieldError = (name: string) => page.locator(`[data-field-error="${name}"]`);

/** Waits until the live section `id` (reloaded every 5 s) contains `text`. */
async function waitForLive(id: string, text: string): Promise<void> {
  await page.locator(`#${id}`, { hasText: text }).waitFor({ timeout: 30_000 });
}

describe("Locations", () => {
  test("create: the API's refusals show beside their fields; a valid location opens its page", async () => {
    await openPage(page, `${stack.adminUrl}/ui/locations`);
    expect(await page.locator(".empty").textContent()).toBe("No locations yet: create the first one below.");
    await page.getByLabel("Name", { exact: true }).fill("office");
    await page.getByLabel("Gateway address").fill("10.9.0.0/24");
    await page.getByLabel("Port").fill("70000");
    await page.getByLabel("Endpoint").fill("vpn example");
    await page.getByLabel("Allowed IPs").fill("10.9.0.0/24");
    await page.getByRole("button", { name: "Create location" }).click();
    await fieldError("endpoint").and(page.locator(":not([hidden])")).waitFor();
    expect(await fieldError("port").textContent()).toBe("expected a port number (1-65535)");
    expect(await fieldError("endpoint").textContent()).toBe("expected a host name or IP address without port, such as vpn.example.com");
    expect(await fieldError("address").textContent()).toBe("10.9.0.0/24 is the network's own address; give the gateway's, e.g. 10.9.0.1/24");
    expect(await page.locator("form[data-api='/api/v1/network'] [data-error]").textContent()).toBe("");
    expect(await page.getByLabel("Port").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Gateway address").fill("10.9.0.1/24");
    await page.getByLabel("Port").fill("51820");
    await page.getByLabel("Endpoint").fill("vpn.example.com");
    await page.getByLabel("DNS (optional)").fill("10.9.0.1");
    await afterNavigation(page, () => page.getByRole("button", { name: "Create location" }).click());
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/ui\/locations\/\d+$/);
    locationId = Number(path.split("/").at(-1));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("office");
    const stored = (await stack.admin.call("GET", `/api/v1/network/${locationId}`)).body;
    expect(stored).toMatchObject({ name: "office", address: ["10.9.0.1/24"], port: 51820, endpoint: "vpn.example.com", dns: "10.9.0.1", mfa_mode: "disabled" });
  });

  test("edit: a bad keepalive is refused beside the field; MFA mode and groups are saved", async () => {
    await openPage(page, `${stack.adminUrl}/ui/locations/${locationId}`);
    await page.getByLabel("Keepalive interval (seconds)").fill("70000");
    await page.getByRole("button", { name: "Save location" }).click();
    await fieldError("keepalive_interval").and(page.locator(":not([hidden])")).waitFor();
    expect(await fieldError("keepalive_interval").textContent()).toBe("expected 0 to 65535");
    await page.getByLabel("Keepalive interval (seconds)").fill("30");
    await page.getByLabel("MFA before connecting").selectOption("internal");
    await page.getByLabel("Allowed groups (optional)").selectOption(["admin"]);
    await afterNavigation(page, () => page.getByRole("button", { name: "Save location" }).click());
    expect((await stack.admin.call("GET", `/api/v1/network/${locationId}`)).body).toMatchObject({ keepalive_interval: 30, mfa_mode: "internal", allowed_groups: ["admin"] });
    expect(await page.getByLabel("MFA before connecting").inputValue()).toBe("internal");
    // Back to everyone and no MFA, for the device tests below.
    await page.getByLabel("MFA before connecting").selectOption("disabled");
    await page.getByLabel("Allowed groups (optional)").selectOption([]);
    await afterNavigation(page, () => page.getByRole("button", { name: "Save location" }).click());
    expect((await stack.admin.call("GET", `/api/v1/network/${locationId}`)).body).toMatchObject({ mfa_mode: "disabled", allowed_groups: [] });
    expect(errors).toEqual([]);
  });

  test("keyboard only: a second location is created with Tab, typing and Enter", async () => {
    await openPage(page, `${stack.adminUrl}/ui/locations`);
    await tabTo(page, "New location");
    await page.keyboard.press("Enter");
    for (const [label, value] of [["Name", "lab"], ["Gateway address", "10.8.0.1/24"], ["Port", "51821"], ["Endpoint", "lab.example.com"], ["Allowed IPs", "10.8.0.0/24"]] as const) {
      await tabTo(page, label);
      await page.keyboard.type(value);
    }
    await tabTo(page, "Create location", 40);
    await afterNavigation(page, () => page.keyboard.press("Enter"));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("lab");
    const lab = Number(new URL(page.url()).pathname.split("/").at(-1));
    expect(await stack.admin.call("DELETE", `/api/v1/network/${lab}`)).toMatchObject({ status: 200 });
  });

  test("gateway setup: a token and the exact command lines; a gateway that connects with it appears in the live list", async () => {
    await openPage(page, `${stack.adminUrl}/ui/locations/${locationId}`);
    expect(await page.locator("#live-gateways .empty").textContent()).toBe("No gateway has connected yet.");
    await page.getByRole("button", { name: "Make a gateway token" }).click();
    await page.locator("#gateway-commands:not([hidden])").waitFor();
    const token = await page.getByLabel("Token (DEFGUARD_TOKEN)").inputValue();
    const grpcUrl = await page.getByLabel("Core's gateway URL (DEFGUARD_GRPC_URL)").inputValue();
    expect(grpcUrl).toBe("http://localhost:50055");
    const commands = gatewayCommands(token, grpcUrl);
    expect(await page.getByLabel("Our gateway (as root, in this repository)").inputValue()).toBe(commands.ours);
    expect(await page.getByLabel("Defguard's gateway in Docker").inputValue()).toBe(commands.docker);
    expect(await page.getByLabel("Defguard's gateway binary (as root)").inputValue()).toBe(commands.binary);

    const gateway: TestGateway = connectTestGateway({ target: `127.0.0.1:${gatewayPort}`, token, hostname: "vpn-host-1" });
    try {
      expect((await gateway.config()).name).toBe("office");
      const updates = gateway.updates();
      await waitForLive("live-gateways", "vpn-host-1");
      expect(await page.locator("#live-gateways tbody tr").first().textContent()).toContain("connected");
      updates.cancel();
      await page.locator("#live-gateways tbody tr", { hasText: "gone" }).waitFor({ timeout: 30_000 });
    } finally {
      gateway.close();
    }
    expect(errors).toEqual([]);
  });
});

describe("Devices", () => {
  test("an admin adds a device with keys made in the browser: the configuration and its QR code carry the private key", async () => {
    await openPage(page, `${stack.adminUrl}/ui/devices`);
    await page.getByText("Add a device for a user").click();
    await page.getByLabel("User (username)").fill("lena");
    await page.getByLabel("Device name").fill("lena-laptop");
    await page.getByRole("button", { name: "Add device" }).click();
    await page.locator("[data-device-result]:not([hidden])").waitFor();
    const config = (await page.locator("[data-device-result] .config-text").textContent())!;
    const privateKey = /^PrivateKey = (\S+)$/m.exec(config)?.[1];
    expect(privateKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(config).toContain("Address = 10.9.0.2\nDNS = 10.9.0.1\n");
    expect(await decodeQrOf(page.locator("[data-device-result] [data-config-qr]"))).toBe(config);
    await uiShot(page, "device-added", "desktop");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download office.conf" }).click()]);
    expect(readFileSync((await download.path())!, "utf8")).toBe(config);
    const devices = (await stack.admin.call("GET", "/api/v1/device/user/lena")).body;
    expect(devices.map((d: { name: string }) => d.name)).toEqual(["lena-laptop"]);
    // The Core has the public key only: the browser's private key gives the same public key.
    expect(config).not.toContain(devices[0].pubkey);
  });

  test("a pasted key that is no WireGuard key is refused beside its field; an unknown user on the form's line", async () => {
    await openPage(page, `${stack.adminUrl}/ui/devices`);
    await page.getByText("Add a device for a user").click();
    await page.getByLabel("User (username)").fill("lena");
    await page.getByLabel("Device name").fill("lena-phone");
    await page.getByLabel("Public key (optional: leave empty to make keys in this browser)").fill("not-a-key");
    await page.getByRole("button", { name: "Add device" }).click();
    await fieldError("wireguard_pubkey").and(page.locator(":not([hidden])")).waitFor();
    expect(await fieldError("wireguard_pubkey").textContent()).toBe("invalid public key: expected a WireGuard public key (44 characters of base64, 32 bytes)");
    await page.getByLabel("User (username)").fill("nobody");
    await page.getByLabel("Public key (optional: leave empty to make keys in this browser)").fill("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=");
    await page.getByRole("button", { name: "Add device" }).click();
    await page.locator("form[data-device-add] [data-error]:not(:empty)").waitFor();
    expect(await page.locator("form[data-device-add] [data-error]").textContent()).toBe("user nobody not found");
  });

  for (const viewport of ["desktop", "phone"] as ViewportName[]) {
    test(`with data, the pages render labelled, fitting and without errors at ${viewport} width (screenshots in /tmp/ui-shots)`, async () => {
      const { context, page: shots, errors: shotErrors } = await uiPage(browser, viewport);
      try {
        await signIn(shots, stack.adminUrl, "lena", STRONG);
        await visitUiPage(shots, shotErrors, stack.adminUrl, "/ui/locations", "locations-data", viewport);
        await visitUiPage(shots, shotErrors, stack.adminUrl, "/ui/devices", "devices-data", viewport);
        await shots.getByRole("button", { name: "QR code" }).click();
        await shots.locator("#qr-dialog svg").waitFor();
        await uiShot(shots, "devices-qr", viewport);
        await shots.getByRole("button", { name: "Close" }).click();
        await visitUiPage(shots, shotErrors, stack.adminUrl, `/ui/locations/${locationId}`, "location-data", viewport);
        await shots.getByRole("button", { name: "Make a gateway token" }).click();
        await shots.locator("#gateway-commands:not([hidden])").waitFor();
        await expectAccessibleView(shots, viewport);
        await uiShot(shots, "location-token", viewport);
        expect(shotErrors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  test("the list downloads a configuration (private key left out), the gateway's figures show on the location, removal works", async () => {
    await openPage(page, `${stack.adminUrl}/ui/devices?username=le`);
    expect(await page.locator("tbody th").allTextContents()).toEqual([expect.stringMatching(/^lena-laptoplena, added .*Remove lena-laptop$/)]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Configuration for office" }).click()]);
    expect(readFileSync((await download.path())!, "utf8")).toStartWith("[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.9.0.2\n");

    const [device] = (await stack.admin.call("GET", "/api/v1/device/user/lena")).body;
    const token = (await stack.admin.call("GET", `/api/v1/network/${locationId}/token`)).body.token;
    const gateway = connectTestGateway({ target: `127.0.0.1:${gatewayPort}`, token, hostname: "vpn-host-2" });
    try {
      await gateway.config();
      const nowS = Math.floor(Date.now() / 1000);
      await gateway.stats([{ id: 1, peer_stats: { public_key: device.pubkey, endpoint: "198.51.100.20:41000", upload: 3 * 1024 * 1024, download: 2048, keepalive_interval: 25, latest_handshake: nowS, allowed_ips: "10.9.0.2/32" } }]);
      await openPage(page, `${stack.adminUrl}/ui/locations/${locationId}`);
      const row = page.locator("#live-devices tbody tr", { hasText: "lena-laptop" });
      expect(await row.locator("td").allTextContents()).toEqual(["connected", "198.51.100.20:41000", expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/), "3.1 MB / 2.0 kB"]);
    } finally {
      gateway.close();
    }

    await openPage(page, `${stack.adminUrl}/ui/devices`);
    await afterNavigation(page, () => page.getByRole("button", { name: "Remove lena-laptop" }).click());
    expect(await page.locator(".empty").textContent()).toBe("No devices yet.");
    expect((await stack.admin.call("GET", "/api/v1/device/user/lena")).body).toEqual([]);
    expect(errors).toEqual([]);
  });
});
