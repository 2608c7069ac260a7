// The pages' static assets, all served by this Proxy: the client script, bundled by Bun from
// client/main.ts into memory on first use (nothing generated is committed or written to disk), the
// stylesheet and the icon. Each answer has an ETag, so browsers revalidate cheaply after an upgrade.
import { createHash } from "node:crypto";

export const PAGE_SCRIPT_PATH = "/assets/pages.js";
export const PAGE_STYLE_PATH = "/assets/pages.css";
export const FAVICON_PATH = "/assets/favicon.svg";

const CLIENT_ENTRY = new URL("./client/main.ts", import.meta.url).pathname;
const STYLESHEET = new URL("./styles.css", import.meta.url).pathname;

const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#0c6bc9" d="M12 2 3 6v6c0 5 3.8 9.4 9 10 5.2-.6 9-5 9-10V6l-9-4z"/></svg>';

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

function asset(body: string, contentType: string): Asset {
  return { body, contentType, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

async function bundleClientScript(): Promise<Asset> {
  const result = await Bun.build({ entrypoints: [CLIENT_ENTRY], target: "browser", minify: true, format: "esm" });
  const output = result.outputs.find((o) => o.kind === "entry-point");
  if (!result.success || !output) {
    throw new AssetBuildError(`bundling ${CLIENT_ENTRY} failed: ${result.logs.map(String).join("; ")}`);
  }
  return asset(await output.text(), "text/javascript; charset=utf-8");
}

export interface PageAssets {
  /** The asset served at `path`, or undefined when there is none. Builds the script on first call. */
  get(path: string): Promise<Asset | undefined>;
}

/** Assets built once per process, on first request; a failed build is retried on the next request. */
export function createPageAssets(): PageAssets {
  let script: Promise<Asset> | undefined;
  let style: Promise<Asset> | undefined;
  const favicon = asset(FAVICON_SVG, "image/svg+xml");
  return {
    async get(path) {
      if (path === PAGE_SCRIPT_PATH) {
        script ??= bundleClientScript().catch((err: unknown) => {
          script = undefined;
          throw err;
        });
        return script;
      }
      if (path === PAGE_STYLE_PATH) {
        style ??= Bun.file(STYLESHEET)
          .text()
          .then((css) => asset(css, "text/css; charset=utf-8"));
        return style;
      }
      if (path === FAVICON_PATH) return favicon;
      return undefined;
    },
  };
}
