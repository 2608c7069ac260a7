// The pages' routes in-process (app.request), as createApp mounts them through `extraRoutes`: which
// page each URL gets, the 503 page when no Core is connected, the security headers, and the assets.
import { describe, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { loadProxyConfig } from "../config.ts";
import { createCookieSealer } from "../cookie-seal.ts";
import { CoreLinks } from "../core-links.ts";
import { createApp } from "../http/app.ts";
import { PAGE_SCRIPT_PATH, PAGE_STYLE_PATH, FAVICON_PATH } from "./page-assets.ts";
import { mountPages } from "./routes.ts";

const TOKEN = "A".repeat(32);
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The app with pages; `connected` attaches a Core link whose transport does nothing (pages only ask whether one is there). */
function build(connected: boolean) {
  const log = createLogger({ level: "error", format: "text", target: "test::pages" });
  const core = new CoreLinks({ timeoutMs: 1000, log });
  if (connected) core.attach({ peer: "127.0.0.1:1", version: "1.6.0", write: () => {}, close: () => {} });
  return createApp(loadProxyConfig({}), { core, cookieSealer: createCookieSealer(undefined), log }, { extraRoutes: mountPages });
}

const online = build(true);
const offline = build(false);

async function page(app: ReturnType<typeof build>, path: string) {
  const res = await app.request(path);
  return { res, html: await res.text() };
}

describe("which page a URL opens", () => {
  test("/ without a token: the choice between enrolling and resetting a password", async () => {
    const { res, html } = await page(online, "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(html).toStartWith("<!DOCTYPE html><html lang=\"en\">");
    expect(html).toContain('data-page="home"');
    expect(html).toContain('<form action="/enrollment" method="get"');
    expect(html).toContain('href="/password-reset"');
    expect(html).not.toContain("notice warning");
  });

  test("/?token= and /enrollment?token= open the enrollment", async () => {
    for (const path of [`/?token=${TOKEN}`, `/enrollment?token=${TOKEN}`]) {
      const { res, html } = await page(online, path);
      expect(res.status).toBe(200);
      expect(html).toContain('data-page="enrollment"');
      expect(html).toContain('data-view="welcome"');
    }
  });

  test("/enrollment with a pasted link redirects to its token; without a usable token it is the start page", async () => {
    const res = await online.request(`/enrollment?token=${encodeURIComponent(` https://e.com/?token=${TOKEN} `)}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/enrollment?token=${TOKEN}`);
    const blank = await page(online, "/enrollment?token=");
    expect(blank.html).toContain('data-page="home"');
    expect(blank.html).not.toContain("enroll-token-error");
    const bad = await page(online, "/enrollment?token=no%20token%21");
    expect(bad.res.status).toBe(200);
    expect(bad.html).toContain('<p class="field-error" id="enroll-token-error" role="alert">This is not an enrollment token or link.</p>');
  });

  test("/password-reset: the request form without a token, the new-password form with one", async () => {
    const request = await page(online, "/password-reset");
    expect(request.html).toContain('data-mode="request"');
    expect(request.html).toContain('id="reset-request-form"');
    const reset = await page(online, `/password-reset?token=${TOKEN}`);
    expect(reset.html).toContain('data-mode="reset"');
    expect(reset.html).toContain('id="reset-password-form"');
  });

  test("an unknown path is a plain 404; the API's 404 stays JSON", async () => {
    const res = await online.request("/nothing-here");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Not found");
    const api = await online.request("/api/v1/nothing");
    expect(await api.json()).toEqual({ error: "Not found" });
  });
});

describe("no Core connected", () => {
  test("enrollment and reset pages answer 503 and say the service is unavailable, with a way to try again", async () => {
    for (const path of [`/enrollment?token=${TOKEN}`, `/password-reset?token=${TOKEN}`]) {
      const { res, html } = await page(offline, path);
      expect(res.status).toBe(503);
      expect(html).toContain('<h1 id="problem-title">Service unavailable</h1>');
      expect(html).toContain("The service is unavailable right now.");
      expect(html).toContain(`href="${path}"`);
    }
  });

  test("the start page and the reset request still load (200), with a warning", async () => {
    for (const path of ["/", "/password-reset"]) {
      const { res, html } = await page(offline, path);
      expect(res.status).toBe(200);
      expect(html).toContain('<p class="notice warning" role="status">The service is unavailable right now.');
    }
  });
});

describe("security headers and markup", () => {
  test("every page: strict CSP, no referrer, no framing, not cached", async () => {
    for (const path of ["/", `/enrollment?token=${TOKEN}`, "/password-reset"]) {
      const res = await online.request(path);
      expect(res.headers.get("content-security-policy")).toBe(CSP);
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.has("strict-transport-security")).toBe(false);
    }
  });

  test("no inline script or style, nothing from another host", async () => {
    for (const path of ["/", `/enrollment?token=${TOKEN}`, `/password-reset?token=${TOKEN}`]) {
      const { html } = await page(online, path);
      expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([`<script src="${PAGE_SCRIPT_PATH}" defer="">`]);
      expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/);
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });
});

describe("assets", () => {
  test("the client script is bundled on first request, with an ETag; a matching If-None-Match gets 304", async () => {
    const res = await online.request(PAGE_SCRIPT_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-security-policy")).toBe(CSP);
    const body = await res.text();
    expect(body).toContain("/api/v1/enrollment/start");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await online.request(PAGE_SCRIPT_PATH, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  test("the stylesheet and the icon; an unknown asset is 404", async () => {
    const css = await online.request(PAGE_STYLE_PATH);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await css.text()).toContain(".card");
    const icon = await online.request(FAVICON_PATH);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect((await online.request("/assets/other.js")).status).toBe(404);
  });
});
