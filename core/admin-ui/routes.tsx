// The admin UI on the Core's admin port, beside the JSON API: `/` sends each person where they belong,
// pages live under /ui/ and their assets under /ui/assets/. Every page carries a strict CSP (scripts,
// styles and requests to this origin only, no inline script or style, no framing) and no-store. Access
// is checked here, before a page reads anything: no session → the sign-in page; the default password →
// the change-password page; a non-admin on an admin page → 403 with no data.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { pageHeaders } from "../../shared/page-headers.ts";
import { serveAsset } from "../../shared/web-assets.ts";
import type { AdminAppDeps } from "../admin-api/deps.ts";
import { readSessionCookie } from "../admin-api/session-guard.ts";
import { findSessionUser } from "../store/sessions.ts";
import { getSettings } from "../store/settings.ts";
import { hasDefaultPassword } from "./default-password.ts";
import { Layout, renderDocument } from "./layout.tsx";
import type { Rendered, UiEnv, UiPage } from "./page.ts";
import { CHANGE_PASSWORD_PATH, SIGN_IN_PATH, homeOf } from "./paths.ts";
import { UI_PAGES } from "./pages/index.ts";
import { ForbiddenView, NotFoundView } from "./pages/status-views.tsx";
import { createUiAssets } from "./ui-assets.ts";

/** Sets `viewer` from the session cookie; undefined without a live session of an active user. */
function loadViewer(deps: AdminAppDeps): MiddlewareHandler<UiEnv> {
  return async function viewerFromSession(c, next) {
    const id = readSessionCookie(c);
    const session = id ? await findSessionUser(deps.sql, id) : null;
    c.set("viewer", session ? { ...session, mustChangePassword: await hasDefaultPassword(deps.sql, session.userId) } : undefined);
    await next();
  };
}

/** The page of `rendered` in the layout, with the instance's name. */
async function respond(c: Context<UiEnv>, deps: AdminAppDeps, page: string, rendered: Rendered): Promise<Response> {
  const { instance_name } = await getSettings(deps.sql);
  const html = renderDocument(
    <Layout title={rendered.title} page={page} path={c.req.path} viewer={c.get("viewer")} instanceName={instance_name}>
      {rendered.body}
    </Layout>,
  );
  c.header("Cache-Control", "no-store");
  return c.html(html, rendered.status ?? 200);
}

function signInRedirect(c: Context<UiEnv>): Response {
  const next = c.req.path + (new URL(c.req.url).search || "");
  return c.redirect(`${SIGN_IN_PATH}?${new URLSearchParams({ next })}`, 302);
}

async function servePage(c: Context<UiEnv>, deps: AdminAppDeps, page: UiPage): Promise<Response> {
  const viewer = c.get("viewer");
  let rendered: Rendered | Response;
  if (page.access === "public") {
    rendered = await page.render({ c, deps, viewer });
  } else {
    if (!viewer) return signInRedirect(c);
    if (viewer.mustChangePassword && page.path !== CHANGE_PASSWORD_PATH) return c.redirect(CHANGE_PASSWORD_PATH, 302);
    if (page.access === "admin" && !viewer.isAdmin) return respond(c, deps, "forbidden", ForbiddenView());
    rendered = await page.render({ c, deps, viewer });
  }
  return rendered instanceof Response ? rendered : respond(c, deps, page.name, rendered);
}

/** The UI's router; createAdminApp mounts it at `/` after the API. */
export function adminUiRoutes(deps: AdminAppDeps, pages: readonly UiPage[] = UI_PAGES): Hono<UiEnv> {
  const assets = createUiAssets();
  const app = new Hono<UiEnv>();
  app.get("/ui/assets/:name", pageHeaders, (c) => serveAsset(c, assets));
  app.use("/", pageHeaders, loadViewer(deps));
  app.use("/ui/*", pageHeaders, loadViewer(deps));
  app.get("/", (c) => {
    const viewer = c.get("viewer");
    return c.redirect(viewer ? homeOf(viewer) : SIGN_IN_PATH, 302);
  });
  for (const page of pages) app.get(page.path, (c) => servePage(c, deps, page));
  app.get("/ui/*", (c) => respond(c, deps, "not-found", NotFoundView()));
  return app;
}
