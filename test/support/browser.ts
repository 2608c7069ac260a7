// Headless Chromium for the pages' tests (playwright-core with Debian's chromium), screenshots kept in
// test-artifacts/ (git-ignored), and a real QR decoder (pngjs + jsQR) for what the pages draw.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import jsQR from "jsqr";
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from "playwright-core";
import { PNG } from "pngjs";

const ROOT = new URL("../..", import.meta.url).pathname;
/** Where screenshots go; `.gitignore` keeps them out of commits. */
export const ARTIFACTS_DIR = join(ROOT, "test-artifacts");
/** Debian's chromium; `.ci/run` installs it when missing. CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Launches headless Chromium; the caller closes it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** A fresh context (own cookies) at `viewport`, downloads accepted, phone-like touch at phone width. */
export function newContext(browser: Browser, viewport: ViewportName): Promise<BrowserContext> {
  return browser.newContext({
    viewport: VIEWPORTS[viewport],
    acceptDownloads: true,
    isMobile: viewport === "phone",
    hasTouch: viewport === "phone",
    deviceScaleFactor: 1,
  });
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The text of the QR code in a PNG image, decoded by jsQR; undefined when none is found. */
export function decodeQrPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return jsQR(pixels, image.width, image.height)?.data;
}

/** Screenshots `locator` (the QR as the person sees it) and decodes it. */
export async function decodeQrOf(locator: Locator): Promise<string | undefined> {
  return decodeQrPng(await locator.screenshot({ type: "png" }));
}

/** Records the path of every request `page` makes to the Proxy's JSON API, in order. */
export function recordApiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) calls.push(`${request.method()} ${url.pathname}`);
  });
  return calls;
}

/** Collects console errors and page errors (a CSP violation shows up here); `ignore` leaves some console lines out. */
export function recordPageErrors(page: Page, ignore: (text: string) => boolean = () => false): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !ignore(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}
