// The admin UI's static assets, served by the Core on its admin port: one client script bundled from
// client/main.ts, one stylesheet and the icon (shared/web-assets.ts builds, caches and serves them).
import { FAVICON_SVG, asset, bundleScript, createAssetSet, type PageAssets, readStylesheet } from "../../shared/web-assets.ts";

export const UI_SCRIPT_PATH = "/ui/assets/admin.js";
export const UI_STYLE_PATH = "/ui/assets/admin.css";
export const UI_FAVICON_PATH = "/ui/assets/favicon.svg";

const CLIENT_ENTRY = new URL("./client/main.ts", import.meta.url).pathname;
const STYLESHEET = new URL("./styles.css", import.meta.url).pathname;

export function createUiAssets(): PageAssets {
  const favicon = asset(FAVICON_SVG, "image/svg+xml");
  return createAssetSet({
    [UI_SCRIPT_PATH]: () => bundleScript(CLIENT_ENTRY),
    [UI_STYLE_PATH]: () => readStylesheet(STYLESHEET),
    [UI_FAVICON_PATH]: async () => favicon,
  });
}
