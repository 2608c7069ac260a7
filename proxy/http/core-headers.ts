// Every response says which Proxy answered (`defguard-component-version`, as Defguard's Proxy does),
// whether a Core is connected and, once one has connected, its version (WIRE.md). The desktop client
// reads all three when it polls and warns about an unknown Proxy version without the first.
import type { MiddlewareHandler } from "hono";
import { COMPONENT_VERSION, VERSION_HEADER } from "../../shared/version.ts";
import type { CoreGateway } from "../core-links.ts";
import { setResponseHeader } from "./response-headers.ts";

export const CORE_CONNECTED_HEADER = "defguard-core-connected";
export const CORE_VERSION_HEADER = "defguard-core-version";
export const PROXY_VERSION_HEADER = VERSION_HEADER;

export function coreHeaders(core: Pick<CoreGateway, "connectedCount" | "coreVersion">): MiddlewareHandler {
  return async function coreHeaders(c, next) {
    await next();
    setResponseHeader(c, PROXY_VERSION_HEADER, COMPONENT_VERSION);
    setResponseHeader(c, CORE_CONNECTED_HEADER, core.connectedCount > 0 ? "true" : "false");
    const version = core.coreVersion;
    if (version !== undefined) setResponseHeader(c, CORE_VERSION_HEADER, version);
  };
}
