// The reverse proxies whose forwarding headers (X-Forwarded-For, -Proto, -Host) the Proxy believes:
// DEFGUARD_PROXY_TRUSTED_PROXIES, a list of IPs and CIDRs. Pure: parsing and matching only.
import ipaddr from "ipaddr.js";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface TrustedProxies {
  /** True when `address` (a bare IP, IPv4-mapped IPv6 included) lies in one of the ranges. */
  contains(address: string): boolean;
  readonly empty: boolean;
}

/** `1.2.3.4` -> `1.2.3.4/32`, `10.0.0.0/8` stays; null when `entry` is neither an IP nor a CIDR. */
function normaliseEntry(entry: string): string | null {
  const [host = "", prefix, ...rest] = entry.split("/");
  if (rest.length > 0) return null;
  // Four-part decimal only, as for client addresses (`10.1` is valid inet_aton, but surely a typo here).
  if (!ipaddr.IPv4.isValidFourPartDecimal(host) && !ipaddr.IPv6.isValid(host)) return null;
  const ip = ipaddr.process(host).toString();
  const bits = ip.includes(":") ? 128 : 32;
  if (prefix === undefined) return `${ip}/${bits}`;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return null;
  return `${ip}/${Number(prefix)}`;
}

/**
 * The entries of a comma-separated list as CIDR text (`10.0.0.1` -> `10.0.0.1/32`); blanks are skipped.
 * Returns the first entry that is no IP or CIDR (a string) instead, for the config error.
 */
export function parseTrustedProxies(list: string): string[] | string {
  const out: string[] = [];
  for (const raw of list.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const cidr = normaliseEntry(entry);
    if (cidr === null) return entry;
    out.push(cidr);
  }
  return out;
}

/** A matcher over CIDRs produced by parseTrustedProxies (invalid ones are ignored). */
export function trustedProxies(cidrs: readonly string[]): TrustedProxies {
  const ranges: Range[] = [];
  for (const cidr of cidrs) {
    try {
      ranges.push(ipaddr.parseCIDR(cidr) as Range);
    } catch {
      // parseTrustedProxies has refused these at startup already.
    }
  }
  return {
    empty: ranges.length === 0,
    contains(address) {
      if (ranges.length === 0) return false;
      let ip: ipaddr.IPv4 | ipaddr.IPv6;
      try {
        ip = ipaddr.process(address);
      } catch {
        return false;
      }
      return ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base as never, bits));
    },
  };
}
