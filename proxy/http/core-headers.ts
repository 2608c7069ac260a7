// Every response says whether a Core is connected and, once one has connected, its version (WIRE.md).
import type { MiddlewareHandler } from "hono";
import type { CoreGateway } from "../core-links.ts";
import { setResponseHeader } from "./response-headers.ts";

export const CORE_CONNECTED_HEADER = "defguard-core-connected";
export const CORE_VERSION_HEADER = "defguard-core-version";

export function coreHeaders(core: Pick<CoreGateway, "connectedCount" | "coreVersion">): MiddlewareHandler {
  return async function coreHeaders(c, next) {
    await next();
    setResponseHeader(c, CORE_CONNECTED_HEADER, core.connectedCount > 0 ? "true" : "false");
    const version = core.coreVersion;
    if (version !== undefined) setResponseHeader(c, CORE_VERSION_HEADER, version);
  };
}
