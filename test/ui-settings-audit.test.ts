// The admin UI's Settings and Audit log pages in headless Chromium against real processes and a real SMTP
// server: the instance name, the welcome text's preview as the Proxy renders it, the welcome mail edited
// with its preview and then received by a user who enrolled in the browser, the mail server with a
// test mail (delivered, then refused in the server's words), the outbox with a failed attempt and "retry
// now"; the audit log filtered and exported as CSV; screenshots of every page of Locations, Devices,
// Settings and Audit log at both widths; a non-admin refused with 403 and no data.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import type { ViewportName } from "./support/browser.ts";
import { expectFocusOn, openPage } from "./support/pages-checks.ts";
import { type PagesStack, inviteUser, usePagesStackAndBrowser } from "./support/pages-stack.ts";
import { walkToDeviceStep } from "./support/pages-walk.ts";
import { freePort } from "./support/ports.ts";
import { afterNavigation, signIn, uiPage, visitUiPage } from "./support/ui-pages.ts";

setDefaultTimeout(180_000);

const STRONG = "Str0ng!Passw0rd";

let stack: PagesStack;
let browser: Browser;
usePagesStackAndBrowser(async (started) => {
  ({ stack, browser } = started);
  for (const [username, admin] of [["mona", true], ["walt", false]] as const) {
    const made = await stack.admin.call("POST", "/api/v1/user", { username, first_name: "Mona", last_name: "Ops", email: `${username}@example.com`, password: STRONG });
    expect(made.status).toBe(201);
    if (admin) expect((await stack.admin.call("POST", `/api/v1/group/admin/user/${username}`, {})).status).toBe(200);
  }
  expect((await stack.admin.call("POST", "/api/v1/network", { name: "hq", address: "10.44.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.44.0.0/24" })).status).toBe(201);
});

let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ page, errors } = await uiPage(browser, "desktop"));
  await signIn(page, stack.adminUrl, "mona", STRONG);
});

describe("Settings", () => {
  test("the instance name and the enrollment settings are saved; the welcome text's preview follows the typing", async () => {
    await openPage(page, `${stack.adminUrl}/ui/settings`);
    await page.getByLabel("Instance name").fill("Acme VPN");
    await afterNavigation(page, () => page.getByRole("button", { name: "Save name" }).click());
    expect(await page.title()).toBe("Settings · Acme VPN");

    const text = page.getByLabel("Welcome message (Markdown)");
    await text.fill("# Hello {first_name}\n\nRead the [guide](https://example.com/guide) <script>alert(1)</script>");
    const preview = page.locator("#welcome-preview");
    expect(await preview.locator("h1").textContent()).toBe("Hello Alice");
    expect(await preview.locator("a").getAttribute("href")).toBe("https://example.com/guide");
    expect(await preview.locator("script").count()).toBe(0);
    expect(await preview.textContent()).toContain("<script>alert(1)</script>");
    await page.getByLabel("Users must set up MFA during enrollment").check();
    await afterNavigation(page, () => page.getByRole("button", { name: "Save enrollment settings" }).click());
    expect((await stack.admin.call("GET", "/api/v1/settings")).body).toMatchObject({
      instance_name: "Acme VPN",
      enrollment_mfa_required: true,
      enrollment_welcome_message: "# Hello {first_name}\n\nRead the [guide](https://example.com/guide) <script>alert(1)</script>",
    });
    expect(await page.getByLabel("Users must set up MFA during enrollment").isChecked()).toBe(true);
    expect(errors).toEqual([]);
  });

  test("the welcome mail: subject and Markdown edited with a live preview, saved, and sent so to a user who finishes enrollment", async () => {
    expect((await stack.admin.call("PATCH", "/api/v1/settings", { enrollment_mfa_required: false })).status).toBe(200);
    await openPage(page, `${stack.adminUrl}/ui/settings`);
    const subject = page.getByLabel("Subject");
    const body = page.getByLabel("Mail text (Markdown)");
    const usesMessage = page.getByLabel("Send the enrollment welcome message as the mail's text");
    const subjectPreview = page.locator("#welcome-email-subject-preview");
    const preview = page.locator("#welcome-email-preview");
    expect(await subject.inputValue()).toBe("Your account is active");
    expect(await subjectPreview.textContent()).toBe("Acme VPN: Your account is active");
    expect(await preview.innerHTML()).toBe(
      "<p>Hello Alice,</p>\n<p>Your account <strong>alice</strong> is now active. You can sign in with your username and the password you chose.</p>\n",
    );

    await subject.fill("Welcome aboard, {first_name} {last_name}");
    expect(await subjectPreview.textContent()).toBe("Acme VPN: Welcome aboard, Alice Example");
    await body.fill("## Hi {first_name}\n\nYour login is **{username}**. Read the [guide](https://example.com/guide) <img src=x onerror=alert(1)>");
    expect(await preview.innerHTML()).toBe(
      '<h2>Hi Alice</h2>\n<p>Your login is <strong>alice</strong>. Read the <a href="https://example.com/guide" rel="noopener noreferrer" target="_blank">guide</a> &lt;img src=x onerror=alert(1)&gt;</p>\n',
    );

    // By keyboard: the box takes the page's welcome message as the text; the field is disabled and says why.
    await usesMessage.focus();
    await page.keyboard.press("Space");
    expect([await body.isDisabled(), await page.locator("#welcome-email-uses-message").isVisible()]).toEqual([true, true]);
    expect(await preview.locator("h1").textContent()).toBe("Hello Alice");
    await page.keyboard.press("Space");
    expect([await body.isDisabled(), await page.locator("#welcome-email-uses-message").isVisible()]).toEqual([false, false]);
    expect(await preview.locator("h2").textContent()).toBe("Hi Alice");

    // The API's refusal beside the field it names; nothing saved.
    await subject.fill("Hi\tthere");
    await page.getByRole("button", { name: "Save welcome mail" }).click();
    const subjectError = page.locator("#field-enrollment_welcome_email_subject-error");
    await subjectError.and(page.locator(":not([hidden])")).waitFor();
    expect(await subjectError.textContent()).toBe("expected one line without control characters");
    expect(await subject.getAttribute("aria-invalid")).toBe("true");
    expect((await stack.admin.call("GET", "/api/v1/settings")).body.enrollment_welcome_email_subject).toBe("Your account is active");

    await subject.fill("Welcome aboard, {first_name} {last_name}");
    await afterNavigation(page, () => page.getByRole("button", { name: "Save welcome mail" }).click());
    expect((await stack.admin.call("GET", "/api/v1/settings")).body).toMatchObject({
      enrollment_welcome_email_subject: "Welcome aboard, {first_name} {last_name}",
      enrollment_welcome_email: "## Hi {first_name}\n\nYour login is **{username}**. Read the [guide](https://example.com/guide) <img src=x onerror=alert(1)>",
      enrollment_use_welcome_message_as_email: false,
    });
    expect(await page.getByLabel("Subject").inputValue()).toBe("Welcome aboard, {first_name} {last_name}");
    expect(errors).toEqual([]);

    const { url } = await inviteUser(stack, "wendy", "Wendy");
    const { context, page: enrollment } = await uiPage(browser, "desktop");
    try {
      await openPage(enrollment, url);
      await walkToDeviceStep(enrollment);
      await enrollment.getByRole("button", { name: "Skip VPN setup and finish" }).click();
      await expectFocusOn(enrollment, "You are all set");
    } finally {
      await context.close();
    }
    const mail = await stack.smtp.waitFor((m) => m.to.includes("wendy@example.com"));
    expect(mail.subject).toBe("Acme VPN: Welcome aboard, Wendy Tester");
    expect(mail.text).toBe(
      "## Hi Wendy\n\nYour login is **wendy**. Read the [guide](https://example.com/guide) <img src=x onerror=alert(1)>\n\nSign in at http://localhost:8000\n\n--\nThis message was sent by Acme VPN (Defguard). Please do not reply to it.\n",
    );
    expect(mail.html).toContain(
      '<div><h2>Hi Wendy</h2>\n<p>Your login is <strong>wendy</strong>. Read the <a href="https://example.com/guide" rel="noopener noreferrer" target="_blank">guide</a> &lt;img src=x onerror=alert(1)&gt;</p>\n</div>',
    );
    expect(mail.html).not.toContain("<img");
  });

  test("send a test mail: it reaches the SMTP server and the page shows the server's answer", async () => {
    await openPage(page, `${stack.adminUrl}/ui/settings`);
    expect(await page.getByRole("textbox", { name: "To" }).inputValue()).toBe("mona@example.com");
    await page.getByRole("button", { name: "Send a test mail" }).click();
    await page.locator("#test-mail-result:not([hidden])").waitFor();
    expect(await page.locator("#test-mail-result [data-out=response]").textContent()).toMatch(/^250 /);
    expect(await page.locator("#test-mail-result [data-out=smtp]").textContent()).toBe(`smtp://${stack.smtp.host}:${stack.smtp.port} (none)`);
    const mail = await stack.smtp.waitFor((m) => m.to.includes("mona@example.com") && m.subject === "Acme VPN: Test mail");
    expect(mail.text).toContain("This is a test mail that mona sent from the settings of Acme VPN");
  });

  test("a mail server that refuses: the test mail's error in its words, a mail waiting in the outbox, sent by 'retry now' once fixed", async () => {
    const closed = await freePort();
    await openPage(page, `${stack.adminUrl}/ui/settings`);
    await page.getByLabel("Port").fill(String(closed));
    await afterNavigation(page, () => page.getByRole("button", { name: "Save mail server" }).click());
    await page.getByRole("button", { name: "Send a test mail" }).click();
    const testForm = page.locator("form[data-api='/api/v1/mail/test'] [data-error]");
    await testForm.and(page.locator(":not(:empty)")).waitFor();
    expect(await testForm.textContent()).toStartWith(`smtp://${stack.smtp.host}:${closed} (none) did not take the mail: ESOCKET: connect ECONNREFUSED 127.0.0.1:${closed}`);

    const nina = { username: "nina", first_name: "Nina", last_name: "New", email: "nina@example.com" };
    expect((await stack.admin.call("POST", "/api/v1/user", nina)).status).toBe(201);
    expect((await stack.admin.call("POST", "/api/v1/user/nina/start_enrollment", { send_enrollment_notification: true })).status).toBe(201);
    await openPage(page, `${stack.adminUrl}/ui/settings`);
    const row = page.locator("#live-outbox tbody tr", { hasText: "nina@example.com" });
    await row.locator("td", { hasText: "ECONNREFUSED" }).waitFor({ timeout: 30_000 });
    expect(await row.locator(".badge").textContent()).toBe("pending");

    // The worker retries after 1 s, 2 s, 4 s...: the mail's next attempt is put an hour away, so that only
    // "retry now" can send it (on PostgreSQL; the embedded database is the Core's alone).
    if (stack.db.kind === "postgres") await stack.db.sql`UPDATE mail_outbox SET next_attempt_at = now() + interval '1 hour' WHERE recipient = 'nina@example.com'`;
    await page.getByLabel("Port").fill(String(stack.smtp.port));
    await afterNavigation(page, () => page.getByRole("button", { name: "Save mail server" }).click());
    const retry = page.locator("#live-outbox tbody tr", { hasText: "nina@example.com" }).getByRole("button", { name: /^Retry mail \d+ now$/ });
    if (stack.db.kind === "postgres") await afterNavigation(page, () => retry.click());
    await stack.smtp.waitFor((m) => m.to.includes("nina@example.com"));
    await page.locator("#live-outbox tbody tr", { hasText: "nina@example.com" }).locator(".badge", { hasText: "sent" }).waitFor({ timeout: 30_000 });
    await afterNavigation(page, () => page.getByRole("button", { name: "Use the environment's mail server" }).click());
    if (stack.db.kind === "postgres") {
      const [row] = await stack.db.sql`SELECT smtp_host, smtp_port, smtp_encryption, smtp_sender FROM settings WHERE id = 1`;
      expect(row).toEqual({ smtp_host: null, smtp_port: null, smtp_encryption: null, smtp_sender: null });
    }
    expect((await stack.admin.call("GET", "/api/v1/settings/smtp")).body).toMatchObject({ smtp_configured: true, smtp_port: stack.smtp.port, smtp_sender: "defguard@example.com" });
    expect(errors).toEqual([]);
  });
});

describe("Audit log", () => {
  test("filtered by user and kind; the CSV export holds the same events", async () => {
    expect(await stack.admin.login("walt", "wrong-password")).toBe(401);
    await openPage(page, `${stack.adminUrl}/ui/audit`);
    await page.getByLabel("User").fill("walt");
    await page.getByLabel("Kind").selectOption("admin_login");
    await afterNavigation(page, () => page.getByRole("button", { name: "Filter" }).click());
    expect(new URL(page.url()).search).toBe("?username=walt&event=admin_login&since=&until=");
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.locator("td").nth(1).textContent()).toBe("admin login failure");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export these events as CSV" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8").split("\r\n");
    expect(csv[0]).toBe("id,occurred_at,event,outcome,username,ip_address,user_agent,details");
    expect(csv.slice(1, -1).map((line) => line.split(",").slice(2, 5))).toEqual([["admin_login", "failure", "walt"]]);

    await page.getByLabel("From (UTC)").fill("2000-01-01T00:00");
    await page.getByLabel("Until (UTC)").fill("2000-01-02T00:00");
    await afterNavigation(page, () => page.getByRole("button", { name: "Filter" }).click());
    expect(await page.locator(".empty").textContent()).toBe("No events match.");
    expect(errors).toEqual([]);
  });
});

describe("every page of Locations, Devices, Settings and Audit log", () => {
  for (const viewport of ["desktop", "phone"] as ViewportName[]) {
    test(`renders labelled, fitting and without errors at ${viewport} width (screenshots in /tmp/ui-shots)`, async () => {
      const hq = (await stack.admin.call("GET", "/api/v1/network")).body[0].id;
      const { context, page: shotPage, errors: shotErrors } = await uiPage(browser, viewport);
      try {
        await signIn(shotPage, stack.adminUrl, "mona", STRONG);
        for (const [path, name] of [
          ["/ui/locations", "locations"],
          [`/ui/locations/${hq}`, "location"],
          ["/ui/devices", "devices"],
          ["/ui/settings", "settings"],
          ["/ui/audit", "audit"],
        ] as const) {
          expect((await visitUiPage(shotPage, shotErrors, stack.adminUrl, path, name, viewport))?.status()).toBe(200);
        }
      } finally {
        await context.close();
      }
    });
  }

  test("a non-admin opening them gets 403 and none of their data", async () => {
    const { context, page: walt } = await uiPage(browser, "desktop");
    try {
      await signIn(walt, stack.adminUrl, "walt", STRONG);
      for (const path of ["/ui/locations", "/ui/locations/1", "/ui/devices", "/ui/settings", "/ui/audit"]) {
        const response = await openPage(walt, `${stack.adminUrl}${path}`);
        expect(response?.status()).toBe(403);
        expect(await walt.getByRole("heading", { level: 1 }).textContent()).toBe("Only administrators can open this page");
        expect(await walt.locator("main").textContent()).not.toContain("hq");
      }
    } finally {
      await context.close();
    }
  });
});
