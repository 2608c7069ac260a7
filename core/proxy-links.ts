// One ProxyLink per configured proxy URL, each with its own backoff, state and log lines.
// Today the config names at most one proxy; a comma-separated DEFGUARD_PROXY_URL only changes
// `proxyEndpoints` (issue 8).
import type { Logger } from "../shared/logger.ts";
import type { CoreConfig } from "./config.ts";
import type { HandlerMap } from "./dispatcher.ts";
import { type LinkTarget, type ProxyEndpoint, buildLinkTarget } from "./link-credentials.ts";
import { ProxyLink } from "./proxy-link.ts";

export interface PreparedLink {
  endpoint: ProxyEndpoint;
  target: LinkTarget;
}

/** The proxies this core dials. */
export function proxyEndpoints(config: CoreConfig): ProxyEndpoint[] {
  return config.proxy ? [config.proxy] : [];
}

/**
 * Reads each endpoint's TLS files and builds its target. Throws TlsConfigError naming the variable at
 * fault, so that a bad TLS setting stops startup before anything is opened or dialled.
 */
export function prepareProxyLinks(endpoints: ProxyEndpoint[]): PreparedLink[] {
  return endpoints.map((endpoint) => ({ endpoint, target: buildLinkTarget(endpoint) }));
}

/** A link (not started) per prepared endpoint, all dispatching to `handlers`. */
export function createProxyLinks(prepared: PreparedLink[], handlers: HandlerMap, log: Logger, handlerLog: Logger): ProxyLink[] {
  return prepared.map(({ endpoint, target }) => new ProxyLink({ url: endpoint.url, link: target, handlers, log, handlerLog }));
}
