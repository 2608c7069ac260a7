// The frame of every admin UI page: one stylesheet and one script served by this Core (nothing from
// another host, no inline script or style), a skip link, the navigation for the signed-in, and a notice
// for browsers without JavaScript. hono/jsx escapes every value.
import type { Child } from "hono/jsx";
import { NAV, currentEntry } from "./nav.ts";
import type { Viewer } from "./page.ts";
import { UI_FAVICON_PATH, UI_SCRIPT_PATH, UI_STYLE_PATH } from "./ui-assets.ts";

export function renderDocument(node: Child): string {
  const out = (node as { toString(): string | Promise<string> }).toString();
  if (typeof out !== "string") throw new Error("admin UI pages render synchronously");
  return `<!DOCTYPE html>${out}`;
}

function Navigation(props: { viewer: Viewer; path: string }) {
  const current = currentEntry(props.path);
  const entries = NAV.filter((e) => props.viewer.isAdmin || !e.admin);
  return (
    <nav class="site-nav" aria-label="Main">
      <ul>
        {entries.map((e) => (
          <li>
            <a href={e.href} aria-current={e === current ? "page" : undefined}>
              {e.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout(props: { title: string; page: string; path: string; viewer: Viewer | undefined; instanceName: string; children?: Child }) {
  const { viewer } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${props.instanceName}`}</title>
        <link rel="icon" href={UI_FAVICON_PATH} type="image/svg+xml" />
        <link rel="stylesheet" href={UI_STYLE_PATH} />
        <script src={UI_SCRIPT_PATH} type="module"></script>
      </head>
      <body data-page={props.page}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M12 2 3 6v6c0 5 3.8 9.4 9 10 5.2-.6 9-5 9-10V6l-9-4z" />
            </svg>
            <span>{props.instanceName}</span>
          </a>
          {viewer ? (
            <div class="who">
              <span class="who-name">{viewer.username}</span>
              <button type="button" class="link-button" data-sign-out>
                Sign out
              </button>
            </div>
          ) : null}
        </header>
        {viewer && !viewer.mustChangePassword ? <Navigation viewer={viewer} path={props.path} /> : null}
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <noscript>
          <p class="notice">This page needs JavaScript for its buttons and forms: please turn it on.</p>
        </noscript>
      </body>
    </html>
  );
}
