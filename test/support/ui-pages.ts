// What the admin UI's browser tests share: signing in through the sign-in page, screenshots of each
// page at both widths in /tmp/ui-shots/ (not committed; looked at by hand), and a check that each page
// is labelled, fits a phone and logged no error (a CSP violation shows up as one).
import { expect } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type ViewportName, newContext, recordPageErrors } from "./browser.ts";
import { expectAccessibleView, openPage } from "./pages-checks.ts";

export const UI_SHOTS_DIR = process.env.UI_SHOTS_DIR ?? "/tmp/ui-shots";

/**
 * A fresh browser context at `viewport` with one page; the page's errors are collected (script errors,
 * CSP violations), except the browser's note on each refused API call, which the tests provoke.
 */
export async function uiPage(browser: Browser, viewport: ViewportName): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await newContext(browser, viewport);
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept());
  const errors = recordPageErrors(page, (text) => text.startsWith("Failed to load resource"));
  return { context, page, errors };
}

/** Signs in on the sign-in page with a password (no second factor); waits for the page it lands on. */
export async function signIn(page: Page, adminUrl: string, username: string, password: string): Promise<void> {
  await openPage(page, `${adminUrl}/ui/login`);
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/ui/login");
  await page.locator("body[data-ready=true]").waitFor({ state: "attached" });
}

/** A full-page screenshot as /tmp/ui-shots/<name>-<viewport>.png. */
export async function uiShot(page: Page, name: string, viewport: ViewportName): Promise<void> {
  mkdirSync(UI_SHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(UI_SHOTS_DIR, `${name}-${viewport}.png`), fullPage: true });
}

/** Opens `path` of the admin UI, checks labels, width and errors, and screenshots it. */
export async function visitUiPage(page: Page, errors: string[], adminUrl: string, path: string, name: string, viewport: ViewportName) {
  const response = await openPage(page, `${adminUrl}${path}`);
  await expectAccessibleView(page, viewport);
  expect(errors).toEqual([]);
  await uiShot(page, name, viewport);
  return response;
}

/** Waits for the page to load again after a form's success reloaded or left it. */
export async function afterNavigation(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForEvent("load"), action()]);
  await page.locator("body[data-ready=true]").waitFor({ state: "attached" });
}
