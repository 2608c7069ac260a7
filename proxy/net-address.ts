// Text forms of network addresses as the Proxy logs and forwards them; pure.
import ipaddr from "ipaddr.js";

/** `host:port`, with an IPv6 host in brackets: `0.0.0.0:50051`, `[::1]:8080`. */
export function hostPort(host: string, port: number | string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Dotted decimal without leading zeros, each part at most 255: what ipaddr.js writes for IPv4. */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * A bare IP from an address that may carry a port or brackets (`1.2.3.4:5`, `[::1]:5`, `::ffff:1.2.3.4`),
 * IPv4-mapped IPv6 shown as IPv4; null when the text is no IP address.
 */
export function bareIp(text: string): string | null {
  let host = text.trim();
  // The usual case (every request's socket peer): already canonical, so ipaddr.js would give it back.
  if (CANONICAL_IPV4.test(host)) return host;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed) host = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(host)) host = host.slice(0, host.lastIndexOf(":"));
  // Four-part decimal only: `1.2.3` is a valid inet_aton form, but no client address.
  if (!ipaddr.IPv4.isValidFourPartDecimal(host) && !ipaddr.IPv6.isValid(host)) return null;
  return ipaddr.process(host).toString();
}

/** A gRPC peer as grpc-js reports it (`::1:35916`, `127.0.0.1:35916`) in the `ip:port` form of our logs. */
export function formatGrpcPeer(peer: string): string {
  const colon = peer.lastIndexOf(":");
  if (colon < 0) return peer;
  const port = peer.slice(colon + 1);
  const host = bareIp(peer.slice(0, colon));
  return host && /^\d+$/.test(port) ? hostPort(host, port) : peer;
}
