// One ProxyLink per proxy of DEFGUARD_PROXY_URL (one URL, or several separated by commas), each with its
// own backoff, state and log lines labelled by its URL: one proxy down leaves the others served.
import type { Logger } from "../shared/logger.ts";
import type { CoreConfig } from "./config.ts";
import type { HandlerMap } from "./dispatcher.ts";
import { type LinkTarget, type ProxyEndpoint, buildLinkTarget } from "./link-credentials.ts";
import { ProxyLink } from "./proxy-link.ts";

export interface PreparedLink {
  endpoint: ProxyEndpoint;
  target: LinkTarget;
}

/** The proxies this core dials, in the order DEFGUARD_PROXY_URL lists them. */
export function proxyEndpoints(config: Pick<CoreConfig, "proxies">): ProxyEndpoint[] {
  return config.proxies;
}

/**
 * Reads each endpoint's TLS files and builds its target. Throws TlsConfigError naming the variable at
 * fault, so that a bad TLS setting stops startup before anything is opened or dialled.
 */
export function prepareProxyLinks(endpoints: ProxyEndpoint[]): PreparedLink[] {
  return endpoints.map((endpoint) => ({ endpoint, target: buildLinkTarget(endpoint) }));
}

/** A link (not started) per prepared endpoint, all dispatching to `handlers`; says which when several. */
export function createProxyLinks(prepared: PreparedLink[], handlers: HandlerMap, log: Logger, handlerLog: Logger): ProxyLink[] {
  const links = prepared.map(({ endpoint, target }) => new ProxyLink({ url: endpoint.url, link: target, handlers, log, handlerLog }));
  if (links.length > 1) log.info(`Dialling ${links.length} proxies, each on its own link: ${links.map((l) => l.label).join(", ")}`);
  for (const link of links.filter((l, i) => !prepared[i]!.target.tls && prepared[i]!.target.sharedSecret !== undefined)) {
    log.warn(`DEFGUARD_PROXY_SHARED_SECRET crosses the network in plaintext to ${link.label}: whoever can watch this link can read it (use an https:// URL)`);
  }
  return links;
}

/** How many links are up right now, of how many configured: what the health route reports. */
export function countConnected(links: readonly Pick<ProxyLink, "state">[]): { connected: number; configured: number } {
  return { connected: links.filter((link) => link.state === "connected").length, configured: links.length };
}
