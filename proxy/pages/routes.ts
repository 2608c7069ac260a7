// The pages' routes on the Proxy's HTTP port: `/` (choice, or enrollment with `?token=`), `/enrollment`,
// `/password-reset`, and their assets. Every page carries a strict Content-Security-Policy: scripts,
// styles and requests to this origin only, no inline script, no framing.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { pageHeaders } from "../../shared/page-headers.ts";
import type { AppEnv } from "../http/app-env.ts";
import type { AppOptions } from "../http/app.ts";
import type { RouteDeps } from "../routes/core-call.ts";
import { EnrollmentPage } from "./enrollment-page.tsx";
import { HomePage } from "./home-page.tsx";
import { renderPage } from "./layout.tsx";
import { createPageAssets, type PageAssets } from "./page-assets.ts";
import { serveAsset } from "../../shared/web-assets.ts";
import { PasswordResetPage } from "./password-reset-page.tsx";
import { tokenFromInput } from "./token-input.ts";

function html(c: Context<AppEnv>, body: string, status: 200 | 503 = 200): Response {
  c.header("Cache-Control", "no-store");
  return c.html(body, status);
}

/** Whether a Core is connected now: pages that need one say so at once instead of failing later. */
type Connected = () => boolean;

function enrollment(c: Context<AppEnv>, connected: Connected): Response {
  const raw = c.req.query("token") ?? "";
  const token = tokenFromInput(raw);
  if (!token) return html(c, renderPage(HomePage({ coreConnected: connected(), tokenError: raw.trim() ? "This is not an enrollment token or link." : undefined })));
  if (token !== raw) return c.redirect(`/enrollment?token=${encodeURIComponent(token)}`, 302);
  const coreConnected = connected();
  return html(c, renderPage(EnrollmentPage({ coreConnected, selfHref: `/enrollment?token=${encodeURIComponent(token)}` })), coreConnected ? 200 : 503);
}

function passwordReset(c: Context<AppEnv>, connected: Connected): Response {
  const token = tokenFromInput(c.req.query("token") ?? "");
  const coreConnected = connected();
  const selfHref = token ? `/password-reset?token=${encodeURIComponent(token)}` : "/password-reset";
  const page = PasswordResetPage({ coreConnected, hasToken: token !== undefined, selfHref });
  return html(c, renderPage(page), coreConnected || !token ? 200 : 503);
}

/** The pages router; mount it with `app.route("/", pagesRoutes(deps))` (createApp's `extraRoutes`). */
export function pagesRoutes({ core }: Pick<RouteDeps, "core">, assets: PageAssets = createPageAssets()): Hono<AppEnv> {
  const connected = () => core.connectedCount > 0;
  return new Hono<AppEnv>()
    .get("/", pageHeaders, (c) => {
      if (c.req.query("token") !== undefined) return enrollment(c, connected);
      return html(c, renderPage(HomePage({ coreConnected: connected() })));
    })
    .get("/enrollment", pageHeaders, (c) => enrollment(c, connected))
    .get("/password-reset", pageHeaders, (c) => passwordReset(c, connected))
    .get("/assets/:name", pageHeaders, (c) => serveAsset(c, assets));
}

/** createApp's `extraRoutes` that serves the pages: `startProxy(config, logger, { extraRoutes: mountPages })`. */
export const mountPages: NonNullable<AppOptions["extraRoutes"]> = (app, deps) => {
  app.route("/", pagesRoutes(deps));
};
