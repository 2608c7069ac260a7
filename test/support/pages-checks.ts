// Checks the pages' browser tests share: every visible control has a name a screen reader can read,
// nothing overflows a phone's width, focus lands on the heading of a new step, and a WireGuard
// configuration file parses into its sections.
import { expect } from "bun:test";
import type { Page } from "playwright-core";
import type { ViewportName } from "./browser.ts";

/** Visible inputs, buttons and links of `page` without an accessible name (label, aria-label or text). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const visible = (el: HTMLElement) => el.offsetParent !== null || el.getClientRects().length > 0;
    const controls = [...document.querySelectorAll<HTMLElement>("input, select, textarea, button, a[href]")].filter(visible);
    return controls
      .filter((el) => {
        if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return false;
        if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
          return (el.labels?.length ?? 0) === 0;
        }
        return !(el.textContent ?? "").trim();
      })
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

/** Every control labelled; at phone width, no horizontal scrolling. */
export async function expectAccessibleView(page: Page, viewport: ViewportName): Promise<void> {
  expect(await unlabelledControls(page)).toEqual([]);
  if (viewport === "phone") {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
}

/** Opens `url` and waits until the page's script has wired its forms; answers the navigation's response. */
export async function openPage(page: Page, url: string) {
  const response = await page.goto(url);
  await page.locator("body[data-ready=true]").waitFor({ state: "attached" });
  return response;
}

/** Waits until the focused element is a heading reading `text` (a new step announced to screen readers). */
export async function expectFocusOn(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const el = document.activeElement;
      return el !== null && /^H[1-3]$/.test(el.tagName) && (el.textContent ?? "").trim() === expected;
    },
    text,
    { timeout: 20_000 },
  );
}

/** The accessible name of the focused element, as far as a label, aria-label or its text gives it. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return "";
    const labelled = el as HTMLInputElement;
    const label = labelled.labels?.[0]?.textContent ?? el.getAttribute("aria-label") ?? el.textContent ?? "";
    return label.replace(/\s+/g, " ").trim();
  });
}

/** Presses Tab until the focused control's name matches `name` (keyboard reachability); throws after `maxTabs`. */
export async function tabTo(page: Page, name: string | RegExp, maxTabs = 25): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press("Tab");
    const current = await focusedName(page);
    seen.push(current);
    if (typeof name === "string" ? current === name : name.test(current)) return;
  }
  throw new Error(`Tab never reached ${String(name)}; focus went through: ${seen.join(" | ")}`);
}

export interface WireguardConfig {
  interface: Record<string, string>;
  peer: Record<string, string>;
}

/** Parses a wg-quick file with exactly one [Interface] and one [Peer]; throws on anything else. */
export function parseWireguardConfig(text: string): WireguardConfig {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.toLowerCase();
      if (sections[name]) throw new Error(`two [${header[1]}] sections`);
      current = sections[name] = {};
      continue;
    }
    const pair = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (!pair || !current) throw new Error(`not a WireGuard config line: ${line}`);
    current[pair[1]!] = pair[2]!;
  }
  if (!sections.interface || !sections.peer) throw new Error("missing [Interface] or [Peer]");
  return { interface: sections.interface, peer: sections.peer };
}
