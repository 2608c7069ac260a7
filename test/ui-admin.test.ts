// The admin UI on the Core's admin port, in headless Chromium against real processes: signing in,
// the strict CSP, users and groups managed through the pages, a non-admin kept to their own account
// (403 and no data on admin pages), and the forced change of the default password.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import type { Browser } from "playwright-core";
import { generateKeyPair } from "../core/wireguard/keys.ts";
import type { ViewportName } from "./support/browser.ts";
import { openPage } from "./support/pages-checks.ts";
import { ADMIN_PASSWORD, type PagesStack, addNetwork, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { afterNavigation, signIn, uiPage, uiShot, visitUiPage } from "./support/ui-pages.ts";

setDefaultTimeout(180_000);

const STRONG = "Str0ng!Passw0rd";

let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser(async (started) => {
  ({ stack, browser } = started);
  await addNetwork(stack, "Office", "10.62.0.1/24");
});

async function addUser(username: string, options: { admin?: boolean } = {}): Promise<void> {
  const made = await stack.admin.call("POST", "/api/v1/user", { username, first_name: "Uma", last_name: "Tester", email: `${username}@example.com`, password: STRONG });
  expect(made.status).toBe(201);
  if (options.admin) expect((await stack.admin.call("POST", `/api/v1/group/admin/user/${username}`, {})).status).toBe(200);
}

describe("admin UI: access and headers", () => {
  test("without a session, / and an admin page lead to the sign-in page, which carries a strict CSP", async () => {
    const root = await fetch(`${stack.adminUrl}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/ui/login");
    const users = await fetch(`${stack.adminUrl}/ui/users?page=2`, { redirect: "manual" });
    expect(users.status).toBe(302);
    expect(users.headers.get("location")).toBe("/ui/login?next=%2Fui%2Fusers%3Fpage%3D2");
    const signInPage = await fetch(`${stack.adminUrl}/ui/login`);
    expect(signInPage.status).toBe(200);
    expect(signInPage.headers.get("content-security-policy")).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(signInPage.headers.get("cache-control")).toBe("no-store");
    const html = await signInPage.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    const missing = await fetch(`${stack.adminUrl}/ui/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("There is no such page");
    const script = await fetch(`${stack.adminUrl}/ui/assets/admin.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
  });

  test("a wrong password is refused in words on the sign-in page", async () => {
    const { context, page } = await uiPage(browser, "desktop");
    try {
      await openPage(page, `${stack.adminUrl}/ui/login`);
      await page.getByLabel("Username or email").fill("nobody");
      await page.getByLabel("Password", { exact: true }).fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.locator("#sign-in-form [data-error]").textContent()).resolves.toBe("");
      await page.locator("#sign-in-form [data-error]:not(:empty)").waitFor();
      expect(await page.locator("#sign-in-form [data-error]").textContent()).toBe("invalid username or password");
    } finally {
      await context.close();
    }
  });
});

describe("admin UI: signing in", () => {
  test("a disabled account's right password leads to a page saying so; a wrong one is only wrong", async () => {
    await addUser("gone1");
    expect((await stack.admin.call("PUT", "/api/v1/user/gone1", { is_active: false })).status).toBe(200);
    const { context, page, errors } = await uiPage(browser, "phone");
    try {
      await openPage(page, `${stack.adminUrl}/ui/login`);
      await page.getByLabel("Username or email").fill("gone1");
      await page.getByLabel("Password", { exact: true }).fill("Wrong-pass1!");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("#sign-in-form [data-error]:not(:empty)").waitFor();
      expect(await page.locator("#sign-in-form [data-error]").textContent()).toBe("invalid username or password");
      await page.getByLabel("Password", { exact: true }).fill(STRONG);
      await Promise.all([page.waitForURL(`${stack.adminUrl}/ui/disabled`), page.getByRole("button", { name: "Sign in" }).click()]);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Your account is disabled");
      await uiShot(page, "disabled", "phone");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("after five wrong passwords the account is throttled, and the page says so in words", async () => {
    await addUser("locked1");
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await openPage(page, `${stack.adminUrl}/ui/login`);
      await page.getByLabel("Username or email").fill("locked1");
      const error = page.locator("#sign-in-form [data-error]");
      for (let i = 0; i < 5; i++) {
        await page.getByLabel("Password", { exact: true }).fill(`Wrong-pass${i}!`);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.locator("#sign-in-form [data-error]:not(:empty)").waitFor();
        expect(await error.textContent()).toBe("invalid username or password");
        await page.evaluate(() => (document.querySelector("#sign-in-form [data-error]")!.textContent = ""));
      }
      await page.getByLabel("Password", { exact: true }).fill(STRONG);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("#sign-in-form [data-error]:not(:empty)").waitFor();
      expect(await error.textContent()).toMatch(/^too many failed login attempts: try again later \(in (\d+ seconds|about \d+ (minutes|hours))\)$/);
      await uiShot(page, "sign-in-throttled", "desktop");
      expect(new URL(page.url()).pathname).toBe("/ui/login");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("a page opened without a session signs in first, then opens; a `next` leading elsewhere is ignored", async () => {
    await addUser("nextadmin", { admin: true });
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await openPage(page, `${stack.adminUrl}/ui/groups?x=1`);
      expect(page.url()).toBe(`${stack.adminUrl}/ui/login?next=%2Fui%2Fgroups%3Fx%3D1`);
      await page.getByLabel("Username or email").fill("nextadmin");
      await page.getByLabel("Password", { exact: true }).fill(STRONG);
      await Promise.all([page.waitForURL(`${stack.adminUrl}/ui/groups?x=1`), page.getByRole("button", { name: "Sign in" }).click()]);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${stack.adminUrl}/ui/login`);
      await openPage(page, `${stack.adminUrl}/ui/login?next=${encodeURIComponent("//evil.example/")}`);
      await page.getByLabel("Username or email").fill("nextadmin");
      await page.getByLabel("Password", { exact: true }).fill(STRONG);
      await Promise.all([page.waitForURL(`${stack.adminUrl}/ui/overview`), page.getByRole("button", { name: "Sign in" }).click()]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("a form sent after the session ended leads to the sign-in page, with the way back in next", async () => {
    await addUser("expiring", { admin: true });
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "expiring", STRONG);
      await openPage(page, `${stack.adminUrl}/ui/groups`);
      await context.clearCookies();
      await page.getByLabel("Name").fill("late-group");
      await Promise.all([page.waitForURL(`${stack.adminUrl}/ui/login?next=%2Fui%2Fgroups`), page.getByRole("button", { name: "Create group" }).click()]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("with the keyboard alone: Tab to each field, type, Enter signs in and lands on the account page", async () => {
    await addUser("keys1");
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await openPage(page, `${stack.adminUrl}/ui/login`);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-in-username");
      await page.keyboard.type("keys1");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("sign-in-password");
      await page.keyboard.type(STRONG);
      await Promise.all([page.waitForURL(`${stack.adminUrl}/ui/account`), page.keyboard.press("Enter")]);
      await page.locator("body[data-ready=true]").waitFor({ state: "attached" });
      // From the top: the skip link, the brand, then sign-out and the navigation, in reading order.
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("admin UI: an admin manages users and groups", () => {
  for (const viewport of ["desktop", "phone"] as ViewportName[]) {
    test(`every admin page renders labelled, fitting and without errors at ${viewport} width`, async () => {
      const name = `shots-${viewport}`;
      await addUser(name, { admin: true });
      const { context, page, errors } = await uiPage(browser, viewport);
      try {
        await signIn(page, stack.adminUrl, name, STRONG);
        expect(new URL(page.url()).pathname).toBe("/ui/overview");
        for (const [path, shot] of [
          ["/ui/overview", "overview"],
          ["/ui/users", "users"],
          [`/ui/users/${name}`, "user"],
          ["/ui/groups", "groups"],
          ["/ui/groups/admin", "group"],
          ["/ui/account", "account"],
          ["/ui/change-password", "change-password"],
        ] as const) {
          const response = await visitUiPage(page, errors, stack.adminUrl, path, shot, viewport);
          expect(response?.status()).toBe(200);
        }
      } finally {
        await context.close();
      }
      const { context: anonymous, page: signInPage, errors: signInErrors } = await uiPage(browser, viewport);
      try {
        await visitUiPage(signInPage, signInErrors, stack.adminUrl, "/ui/login", "sign-in", viewport);
      } finally {
        await anonymous.close();
      }
    });
  }

  test("add a user, find them, edit, disable, enable, make an enrollment link, add to a group, delete", async () => {
    await addUser("useradmin", { admin: true });
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "useradmin", STRONG);
      await openPage(page, `${stack.adminUrl}/ui/users`);
      await page.getByText("Add a user").click();
      await page.getByLabel("Username").fill("bob.smith");
      await page.getByLabel("First name").fill("Bob");
      await page.getByLabel("Last name").fill("Smith");
      await page.getByLabel("Email").fill("not-an-email");
      await page.getByRole("button", { name: "Add user" }).click();
      // The browser's own check stops a malformed address; the API's message shows for what it refuses.
      await page.getByLabel("Email").fill("bob@example.com");
      await page.getByLabel("Phone (optional)").fill("12");
      await page.getByRole("button", { name: "Add user" }).click();
      await page.locator("[data-field-error=phone]:not([hidden])").waitFor();
      expect(await page.locator("[data-field-error=phone]").textContent()).toBe("expected a phone number such as +48 123 456 789");
      expect(await page.getByLabel("Phone (optional)").getAttribute("aria-invalid")).toBe("true");
      await page.getByLabel("Phone (optional)").fill("");
      await afterNavigation(page, () => page.getByRole("button", { name: "Add user" }).click());
      expect(new URL(page.url()).pathname).toBe("/ui/users/bob.smith");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Bob Smith");

      await openPage(page, `${stack.adminUrl}/ui/users?search=SMITH`);
      expect(await page.locator("tbody th").allTextContents()).toEqual(["bob.smith"]);
      await openPage(page, `${stack.adminUrl}/ui/users?search=nobody-at-all`);
      expect(await page.locator(".empty").textContent()).toBe("No user matches “nobody-at-all”.");

      await openPage(page, `${stack.adminUrl}/ui/users/bob.smith`);
      await page.getByLabel("First name").fill("Robert");
      await afterNavigation(page, () => page.getByRole("button", { name: "Save details" }).click());
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Robert Smith");

      await afterNavigation(page, () => page.getByRole("button", { name: "Disable user" }).click());
      expect((await stack.admin.call("GET", "/api/v1/user/bob.smith")).body.is_active).toBe(false);
      await afterNavigation(page, () => page.getByRole("button", { name: "Enable user" }).click());
      expect((await stack.admin.call("GET", "/api/v1/user/bob.smith")).body.is_active).toBe(true);

      await page.getByLabel("Also mail the link to bob@example.com").check();
      await page.getByRole("button", { name: "Make an enrollment link" }).click();
      const link = page.getByLabel("Link to send (valid for one use)").first();
      await link.waitFor();
      const url = await link.inputValue();
      expect(url).toMatch(new RegExp(`^${stack.baseUrl}/\\?token=[A-Za-z0-9]{32}$`));
      const mail = await stack.smtp.waitFor((m) => m.to.includes("bob@example.com"));
      expect(mail.text).toContain(url);

      await page.getByLabel("Add to group").selectOption("admin");
      await afterNavigation(page, () => page.getByRole("button", { name: "Add", exact: true }).click());
      expect((await stack.admin.call("GET", "/api/v1/user/bob.smith")).body.groups).toEqual(["admin"]);
      await afterNavigation(page, () => page.getByRole("button", { name: "Remove from admin" }).click());
      expect((await stack.admin.call("GET", "/api/v1/user/bob.smith")).body.groups).toEqual([]);

      await afterNavigation(page, () => page.getByRole("button", { name: "Delete user" }).click());
      expect(new URL(page.url()).pathname).toBe("/ui/users");
      expect((await stack.admin.call("GET", "/api/v1/user/bob.smith")).status).toBe(404);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("create a group, add a member, rename it, delete it", async () => {
    await addUser("groupadmin", { admin: true });
    await addUser("member1");
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "groupadmin", STRONG);
      await openPage(page, `${stack.adminUrl}/ui/groups`);
      await page.getByLabel("Name").fill("admin");
      await page.getByRole("button", { name: "Create group" }).click();
      await page.locator("form[aria-label='New group'] [data-error]:not(:empty)").waitFor();
      expect(await page.locator("form[aria-label='New group'] [data-error]").textContent()).toBe("group admin already exists");
      await page.getByLabel("Name").fill("engineers");
      await afterNavigation(page, () => page.getByRole("button", { name: "Create group" }).click());
      expect(new URL(page.url()).pathname).toBe("/ui/groups/engineers");

      await page.getByLabel("Add a member by username").fill("nobody");
      await page.getByRole("button", { name: "Add member" }).click();
      await page.locator("form[aria-label='Add a member'] [data-error]:not(:empty)").waitFor();
      expect(await page.locator("form[aria-label='Add a member'] [data-error]").textContent()).toBe("user nobody not found");
      await page.getByLabel("Add a member by username").fill("member1");
      await afterNavigation(page, () => page.getByRole("button", { name: "Add member" }).click());
      expect(await page.locator(".plain-list a").allTextContents()).toEqual(["member1"]);

      await page.getByLabel("New name").fill("engineering");
      await afterNavigation(page, () => page.getByRole("button", { name: "Rename group" }).click());
      expect(new URL(page.url()).pathname).toBe("/ui/groups/engineering");
      expect((await stack.admin.call("GET", "/api/v1/user/member1")).body.groups).toEqual(["engineering"]);

      await afterNavigation(page, () => page.getByRole("button", { name: "Delete group" }).click());
      expect(new URL(page.url()).pathname).toBe("/ui/groups");
      expect((await stack.admin.call("GET", "/api/v1/user/member1")).body.groups).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe.if(process.env.DEFGUARD_TEST_DATABASE !== "embedded")("admin UI: the overview with gateways and traffic", () => {
  test("each gateway connected or since when gone, with its version; devices connected now; the last hour's bytes", async () => {
    const sql = stack.db.sql;
    const [office] = await sql<{ id: number }[]>`SELECT id FROM networks WHERE name = 'Office'`;
    await sql`
      INSERT INTO gateways (network_id, hostname, name, version, address, connected_at, disconnected_at, connection_id, seen_at, alive_until) VALUES
        (${office!.id}, 'gw-a', 'office-a', '1.6.2', '10.0.0.5', '2026-12-01T10:00:00Z', NULL, gen_random_uuid(), now(), now() + interval '1 hour'),
        (${office!.id}, 'gw-b', NULL, '1.5.0', NULL, '2026-11-30T08:00:00Z', '2026-12-01T09:30:00Z', gen_random_uuid(), '2026-12-01T09:30:00Z', '2026-12-01T09:30:00Z')`;
    await addUser("traveller");
    const { publicKey } = generateKeyPair();
    const device = await stack.admin.call("POST", "/api/v1/device/traveller", { name: "laptop", wireguard_pubkey: publicKey });
    expect(device.status).toBe(201);
    await sql`UPDATE network_devices SET last_handshake = now(), endpoint = '198.51.100.7:40000', upload = 5000, download = 2500000 WHERE device_id = ${device.body.id}`;
    await sql`
      INSERT INTO vpn_stats (network_id, device_id, collected_at, upload, download) VALUES
        (${office!.id}, ${device.body.id}, now() - interval '30 minutes', 1000, 500000),
        (${office!.id}, ${device.body.id}, now(), 5000, 2500000)`;
    await addUser("overseer", { admin: true });
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "overseer", STRONG);
      await visitUiPage(page, errors, stack.adminUrl, "/ui/overview", "overview-gateways", "desktop");
      const card = page.locator("section", { has: page.getByRole("heading", { name: "Office" }) });
      const facts = (await card.locator(".facts").innerText()).replace(/\s+/g, " ");
      expect(facts).toContain("Connected now 1 device");
      expect(facts).toContain("Last hour 2.0 MB in, 4.0 kB out");
      const gateways = (await card.locator(".plain-list").innerText()).replace(/\s+/g, " ");
      expect(gateways).toBe("office-a connected since 2026-12-01 10:00 UTC, version 1.6.2, from 10.0.0.5 gw-b gone gone since 2026-12-01 09:30 UTC, version 1.5.0");
      expect(await page.locator(".problems").innerText()).not.toContain("No gateway is connected in location Office");
      await openPage(page, `${stack.adminUrl}/ui/users/traveller`);
      const row = (await page.locator(".device").innerText()).replace(/\s+/g, " ");
      expect(row).toContain("Office: 10.62.0.2 connected last handshake");
      expect(row).toContain("from 198.51.100.7:40000, 2.5 MB in, 5.0 kB out");
      await uiShot(page, "user-with-device", "desktop");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("admin UI: a non-admin", () => {
  test("lands on their account, sees no admin section, and gets 403 with no data on admin pages", async () => {
    await addUser("employee1");
    await addUser("secretperson");
    const { context, page, errors } = await uiPage(browser, "phone");
    try {
      await signIn(page, stack.adminUrl, "employee1", STRONG);
      expect(new URL(page.url()).pathname).toBe("/ui/account");
      expect(await page.locator(".site-nav a").allTextContents()).toEqual(["My account"]);
      for (const path of ["/ui/overview", "/ui/users", "/ui/users/secretperson", "/ui/groups", "/ui/groups/admin"]) {
        const response = await openPage(page, `${stack.adminUrl}${path}`);
        expect(response?.status()).toBe(403);
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Only administrators can open this page");
        const html = await page.content();
        expect(html).not.toContain("secretperson");
        expect(html).not.toContain("shots-desktop");
      }
      await uiShot(page, "forbidden", "phone");
      const api = await page.evaluate(async () => (await fetch("/api/v1/user")).status);
      expect(api).toBe(403);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("admin UI: the default password", () => {
  // Last in the file: changing admin's password ends the stack's own admin session.
  test("an admin signed in with pass123 must change it before any other page opens", async () => {
    const { context, page, errors } = await uiPage(browser, "desktop");
    try {
      await signIn(page, stack.adminUrl, "admin", ADMIN_PASSWORD);
      expect(new URL(page.url()).pathname).toBe("/ui/change-password");
      await uiShot(page, "change-password-forced", "desktop");
      expect(await page.locator(".notice").textContent()).toContain("You signed in with the default password");
      expect(await page.locator(".site-nav").count()).toBe(0);
      await openPage(page, `${stack.adminUrl}/ui/users`);
      expect(new URL(page.url()).pathname).toBe("/ui/change-password");

      await page.getByLabel("Current password").fill("wrong-one");
      await page.getByLabel("New password").fill(STRONG);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.locator("[data-field-error=old_password]:not([hidden])").waitFor();
      expect(await page.locator("[data-field-error=old_password]").textContent()).toBe("this is not your current password");
      await page.getByLabel("Current password").fill(ADMIN_PASSWORD);
      await page.getByLabel("New password").fill("weak");
      await page.getByRole("button", { name: "Change password" }).click();
      await page.locator("[data-field-error=new_password]:not([hidden])").waitFor();
      expect(await page.locator("[data-field-error=new_password]").textContent()).toBe("password must be at least 8 characters long");
      await page.getByLabel("New password").fill(STRONG);
      await afterNavigation(page, () => page.getByRole("button", { name: "Change password" }).click());
      expect(new URL(page.url()).pathname).toBe("/ui/overview");
      expect(await page.locator("main").innerText()).not.toContain("default password");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
