// Every response says whether a Core is connected and, once one has connected, its version (WIRE.md).
import type { MiddlewareHandler } from "hono";
import type { CoreGateway } from "../core-links.ts";

export const CORE_CONNECTED_HEADER = "defguard-core-connected";
export const CORE_VERSION_HEADER = "defguard-core-version";

export function coreHeaders(core: Pick<CoreGateway, "connectedCount" | "coreVersion">): MiddlewareHandler {
  return async function coreHeaders(c, next) {
    await next();
    // c.header() after next() copies a finalized response whose headers may be immutable.
    c.header(CORE_CONNECTED_HEADER, core.connectedCount > 0 ? "true" : "false");
    const version = core.coreVersion;
    if (version !== undefined) c.header(CORE_VERSION_HEADER, version);
  };
}
