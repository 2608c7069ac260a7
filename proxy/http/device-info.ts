// The `device_info` of every CoreRequest: who the HTTP client is, as far as the Proxy can tell.
// The one place where X-Forwarded-For (and -Proto, -Host) are trusted or not: only when the socket peer
// is a reverse proxy named in DEFGUARD_PROXY_TRUSTED_PROXIES; otherwise a client could spoof its
// address past the rate limiter and into the Core's audit trail.
import type { Context, MiddlewareHandler } from "hono";
import type { DeviceInfo } from "../../proto/generated/defguard/proxy/DeviceInfo.ts";
import { bareIp } from "../net-address.ts";
import type { AppEnv } from "./app-env.ts";
import { type TrustedProxies, trustedProxies } from "./trusted-proxies.ts";

export const CLIENT_VERSION_HEADER = "defguard-client-version";
export const CLIENT_PLATFORM_HEADER = "defguard-client-platform";
/**
 * The names the Defguard desktop client (1.6) actually sends on its enrollment and MFA requests: its web
 * code writes the constants' names, not their values, as header keys (`{ CLIENT_VERSION_HEADER: ... }`).
 * Read when the real names are absent, so that the Core can tell the desktop client apart.
 */
const CLIENT_VERSION_HEADER_AS_SENT = "client_version_header";
const CLIENT_PLATFORM_HEADER_AS_SENT = "client_platform_header";

/** Who is on the other end, as set on the context by clientAddress(). */
export interface ClientAddress {
  /** Bare IP ("" when unknown, as in in-process tests). */
  ip: string;
  /** True when the client reached us over https (a trusted TLS terminator said so). */
  https: boolean;
  /** The host (and port) the client addressed: X-Forwarded-Host from a trusted proxy, else Host. */
  host: string;
}

const NO_TRUSTED_PROXIES = trustedProxies([]);

/**
 * The client's IP. Without a trusted peer: the socket peer. From a trusted peer: X-Forwarded-For read
 * from the right, skipping trusted proxies; the first other address is the client (entries left of it
 * were written by the client and prove nothing). A bare IP without port; "" when nothing is known.
 */
export function clientIp(forwardedFor: string | undefined, socketPeer: string | undefined, trusted: TrustedProxies = NO_TRUSTED_PROXIES): string {
  return clientIpFrom(forwardedFor, socketPeer ? bareIp(socketPeer) : null, trusted);
}

/** clientIp for a socket peer already made a bare IP (null when unknown). */
function clientIpFrom(forwardedFor: string | undefined, peer: string | null, trusted: TrustedProxies): string {
  if (peer === null) return "";
  if (!forwardedFor || !trusted.contains(peer)) return peer;
  let client = peer;
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = bareIp(hops[i]!);
    if (hop === null) break;
    client = hop;
    if (!trusted.contains(hop)) break;
  }
  return client;
}

/** The socket peer's address under Bun.serve; undefined when the app runs without a server. */
function socketPeer(c: Context<AppEnv>): string | undefined {
  try {
    return c.env?.requestIP?.(c.req.raw)?.address;
  } catch {
    return undefined;
  }
}

/** The first entry of a comma-separated forwarding header, trimmed and lowercased. */
function firstEntry(value: string | undefined): string | undefined {
  return value?.split(",")[0]?.trim().toLowerCase() || undefined;
}

/** Works out the client of `c` under the trust given by `trusted`. */
export function resolveClient(c: Context<AppEnv>, trusted: TrustedProxies): ClientAddress {
  const peer = socketPeer(c);
  const peerIp = peer ? bareIp(peer) : null;
  const fromTrusted = peerIp !== null && trusted.contains(peerIp);
  const forwardedProto = fromTrusted ? firstEntry(c.req.header("x-forwarded-proto")) : undefined;
  const forwardedHost = fromTrusted ? firstEntry(c.req.header("x-forwarded-host")) : undefined;
  return {
    ip: clientIpFrom(c.req.header("x-forwarded-for"), peerIp, trusted),
    // The request URL's scheme; it is parsed whole only when the Host header is missing.
    https: c.req.url.startsWith("https:") || forwardedProto === "https",
    host: forwardedHost ?? (c.req.header("host")?.toLowerCase() || new URL(c.req.url).host),
  };
}

/** Middleware: puts the request's ClientAddress on the context as `client`, for everything after it. */
export function clientAddress(cidrs: readonly string[]): MiddlewareHandler<AppEnv> {
  const trusted = trustedProxies(cidrs);
  return async function clientAddress(c, next) {
    c.set("client", resolveClient(c, trusted));
    await next();
  };
}

/** The client of `c`: as clientAddress() found it, or (without that middleware) with no proxy trusted. */
export function clientOf(c: Context<AppEnv>): ClientAddress {
  return c.get("client") ?? resolveClient(c, NO_TRUSTED_PROXIES);
}

/** `device_info` for the request in `c`. */
export function deviceInfoOf(c: Context<AppEnv>): DeviceInfo {
  return {
    ip_address: clientOf(c).ip,
    user_agent: c.req.header("user-agent"),
    version: c.req.header(CLIENT_VERSION_HEADER) ?? c.req.header(CLIENT_VERSION_HEADER_AS_SENT),
    platform: c.req.header(CLIENT_PLATFORM_HEADER) ?? c.req.header(CLIENT_PLATFORM_HEADER_AS_SENT),
  };
}
