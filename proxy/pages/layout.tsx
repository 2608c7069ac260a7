// The frame of every page: one stylesheet and one script, both served by this Proxy (nothing from
// another host), a skip link, and a notice for browsers without JavaScript. hono/jsx escapes every value.
import type { Child } from "hono/jsx";
import { PAGE_SCRIPT_PATH, PAGE_STYLE_PATH, FAVICON_PATH } from "./page-assets.ts";

export type PageName = "home" | "enrollment" | "password-reset";

export function renderPage(node: Child): string {
  const out = (node as { toString(): string | Promise<string> }).toString();
  if (typeof out !== "string") throw new Error("pages render synchronously");
  return `<!DOCTYPE html>${out}`;
}

export function Layout(props: { title: string; page: PageName; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · Defguard`}</title>
        <link rel="icon" href={FAVICON_PATH} type="image/svg+xml" />
        <link rel="stylesheet" href={PAGE_STYLE_PATH} />
        <script src={PAGE_SCRIPT_PATH} defer></script>
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
            <span>Defguard</span>
          </a>
          <span class="instance-name" id="instance-name"></span>
        </header>
        <main id="main" class="card" tabindex={-1}>
          {props.children}
        </main>
        <noscript>
          <p class="notice">These pages need JavaScript: please turn it on, or open the link in another browser.</p>
        </noscript>
      </body>
    </html>
  );
}
