// The WireGuard configuration text a device receives for one network, byte for byte as Defguard writes it
// (WIRE.md "Device config text"): the user pastes their own private key over YOUR_PRIVATE_KEY.
import ipaddr from "ipaddr.js";

export const PRIVATE_KEY_PLACEHOLDER = "YOUR_PRIVATE_KEY";

export interface DeviceConfigTextInput {
  /** The device's addresses in this network (one per CIDR), without prefix length. */
  addresses: readonly string[];
  /** The network's DNS servers as the admin wrote them; null or blank leaves the DNS line out. */
  dns: string | null;
  /** The network's (gateway's) public key. */
  networkPublicKey: string;
  /** CIDRs routed through the tunnel; none leaves the AllowedIPs line out. */
  allowedIps: readonly string[];
  /** Host name or IP address of the gateway, as the admin wrote it. */
  endpointHost: string;
  port: number;
  keepaliveInterval: number;
}

/** `host:port`, with an IPv6 literal in brackets as WireGuard requires (`[2001:db8::1]:51820`). */
export function formatEndpoint(host: string, port: number): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return ipaddr.IPv6.isValid(bare) ? `[${bare}]:${port}` : `${host}:${port}`;
}

/** Comma-separated, no spaces, as Defguard joins address lists. */
export function joinCsv(values: readonly string[]): string {
  return values.join(",");
}

/**
 * The config text: `[Interface]` with PrivateKey, Address, DNS (when set), a blank line, then `[Peer]`
 * with PublicKey, AllowedIPs (when any), Endpoint and PersistentKeepalive; lines end with `\n`, the last
 * one has none.
 */
export function renderDeviceConfig(input: DeviceConfigTextInput): string {
  const dns = input.dns?.trim();
  const lines = [
    "[Interface]",
    `PrivateKey = ${PRIVATE_KEY_PLACEHOLDER}`,
    `Address = ${joinCsv(input.addresses)}`,
    ...(dns ? [`DNS = ${dns}`] : []),
    "",
    "[Peer]",
    `PublicKey = ${input.networkPublicKey}`,
    ...(input.allowedIps.length > 0 ? [`AllowedIPs = ${joinCsv(input.allowedIps)}`] : []),
    `Endpoint = ${formatEndpoint(input.endpointHost, input.port)}`,
    `PersistentKeepalive = ${input.keepaliveInterval}`,
  ];
  return lines.join("\n");
}
