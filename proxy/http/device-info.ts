// The `device_info` of every CoreRequest: who the HTTP client is, as far as the Proxy can tell.
// Kept in this one module on purpose: trusting X-Forwarded-For is a policy a later change will restrict.
import type { Context } from "hono";
import type { DeviceInfo } from "../../proto/generated/defguard/proxy/DeviceInfo.ts";
import { bareIp } from "../net-address.ts";
import type { AppEnv } from "./app-env.ts";

export const CLIENT_VERSION_HEADER = "defguard-client-version";
export const CLIENT_PLATFORM_HEADER = "defguard-client-platform";

/**
 * The client's IP: the leftmost X-Forwarded-For entry when it is an IP address, else the socket peer;
 * a bare IP without port ("" when neither is known, as in in-process tests).
 */
export function clientIp(forwardedFor: string | undefined, socketPeer: string | undefined): string {
  const leftmost = forwardedFor?.split(",")[0];
  const forwarded = leftmost ? bareIp(leftmost) : null;
  if (forwarded) return forwarded;
  return (socketPeer && bareIp(socketPeer)) || "";
}

/** The socket peer's address under Bun.serve; undefined when the app runs without a server. */
function socketPeer(c: Context<AppEnv>): string | undefined {
  try {
    return c.env?.requestIP?.(c.req.raw)?.address;
  } catch {
    return undefined;
  }
}

/** `device_info` for the request in `c`. */
export function deviceInfoOf(c: Context<AppEnv>): DeviceInfo {
  return {
    ip_address: clientIp(c.req.header("x-forwarded-for"), socketPeer(c)),
    user_agent: c.req.header("user-agent"),
    version: c.req.header(CLIENT_VERSION_HEADER),
    platform: c.req.header(CLIENT_PLATFORM_HEADER),
  };
}
