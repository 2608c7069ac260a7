// The pages' static assets, all served by this Proxy: the client script (bundled from client/main.ts),
// the stylesheet and the icon (shared/web-assets.ts builds, caches and serves them).
import { FAVICON_SVG, asset, bundleScript, createAssetSet, type PageAssets, readStylesheet } from "../../shared/web-assets.ts";

export { AssetBuildError, type Asset, type PageAssets } from "../../shared/web-assets.ts";

export const PAGE_SCRIPT_PATH = "/assets/pages.js";
export const PAGE_STYLE_PATH = "/assets/pages.css";
export const FAVICON_PATH = "/assets/favicon.svg";

const CLIENT_ENTRY = new URL("./client/main.ts", import.meta.url).pathname;
const STYLESHEET = new URL("./styles.css", import.meta.url).pathname;

/** Assets built once per process, on first request; a failed build is retried on the next request. */
export function createPageAssets(): PageAssets {
  const favicon = asset(FAVICON_SVG, "image/svg+xml");
  return createAssetSet({
    [PAGE_SCRIPT_PATH]: () => bundleScript(CLIENT_ENTRY),
    [PAGE_STYLE_PATH]: () => readStylesheet(STYLESHEET),
    [FAVICON_PATH]: async () => favicon,
  });
}
