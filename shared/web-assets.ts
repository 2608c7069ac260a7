// Static assets of a server-rendered site (the Proxy's pages, the Core's admin UI): one client script
// bundled by Bun into memory on first use (nothing generated is committed or written to disk), a
// stylesheet read from disk, and fixed bodies. Each answer carries a strong ETag, so browsers revalidate
// cheaply after an upgrade.
import { createHash } from "node:crypto";
import type { Context } from "hono";

export interface Asset {
  body: string;
  contentType: string;
  /** A strong ETag of the body. */
  etag: string;
}

/** Raised when the client script does not bundle: a broken checkout, not a request problem. */
export class AssetBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssetBuildError";
  }
}

/** The shield both sites (the Proxy's pages, the Core's admin UI) show as their icon. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#0c6bc9" d="M12 2 3 6v6c0 5 3.8 9.4 9 10 5.2-.6 9-5 9-10V6l-9-4z"/></svg>';

export function asset(body: string, contentType: string): Asset {
  return { body, contentType, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

/** Bundles `entry` (an absolute path) for browsers, minified, as one ES module. */
export async function bundleScript(entry: string): Promise<Asset> {
  const result = await Bun.build({ entrypoints: [entry], target: "browser", minify: true, format: "esm" });
  const output = result.outputs.find((o) => o.kind === "entry-point");
  if (!result.success || !output) {
    throw new AssetBuildError(`bundling ${entry} failed: ${result.logs.map(String).join("; ")}`);
  }
  return asset(await output.text(), "text/javascript; charset=utf-8");
}

export async function readStylesheet(path: string): Promise<Asset> {
  return asset(await Bun.file(path).text(), "text/css; charset=utf-8");
}

export interface PageAssets {
  /** The asset served at `path`, or undefined when there is none. Builds it on first call. */
  get(path: string): Promise<Asset | undefined>;
}

/**
 * Assets by URL path, each made once per process on first request; a failed make is retried on the
 * next request (a broken bundle does not stick after the file is fixed in development).
 */
export function createAssetSet(makers: Record<string, () => Promise<Asset>>): PageAssets {
  const made = new Map<string, Promise<Asset>>();
  return {
    async get(path) {
      const make = Object.hasOwn(makers, path) ? makers[path] : undefined;
      if (!make) return undefined;
      let pending = made.get(path);
      if (!pending) {
        pending = make().catch((err: unknown) => {
          made.delete(path);
          throw err;
        });
        made.set(path, pending);
      }
      return pending;
    },
  };
}

/** Answers the asset at the request's path: 404, 304 on a matching If-None-Match, else the body. */
export async function serveAsset(c: Context, assets: PageAssets): Promise<Response> {
  const found = await assets.get(c.req.path);
  if (!found) return c.text("Not found", 404);
  c.header("ETag", found.etag);
  c.header("Cache-Control", "no-cache");
  if (c.req.header("if-none-match") === found.etag) return c.body(null, 304);
  c.header("Content-Type", found.contentType);
  return c.body(found.body, 200);
}
