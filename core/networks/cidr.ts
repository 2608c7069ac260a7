// Parsing and checking the addresses a WireGuard network is configured with: the gateway's address with
// the network's prefix (`10.1.0.1/24`, `fd00::1/64`), and the routes (`0.0.0.0/0`) pushed to clients.
import ipaddr from "ipaddr.js";

/** Smallest networks that still hold a gateway and one device besides the reserved addresses. */
const MAX_PREFIX = { ipv4: 30, ipv6: 126 } as const;

export type ParsedCidr = { ok: true; value: string } | { ok: false; problem: string };

function parseStrict(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  const [address, prefix, ...rest] = text.split("/");
  if (rest.length || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return null;
  if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address)) return null;
  return ipaddr.isValidCIDR(text) ? ipaddr.parseCIDR(text) : null;
}

/** `ip/prefix` with the IP in its canonical form (RFC 5952 for IPv6). */
function canonical(ip: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string {
  return `${ip.kind() === "ipv6" ? (ip as ipaddr.IPv6).toRFC5952String() : ip.toString()}/${prefix}`;
}

/**
 * A gateway address in CIDR form, IPv4 or IPv6. Refused: no prefix, a prefix too long to hold a device,
 * the network's own address, and the IPv4 broadcast address.
 */
export function parseGatewayCidr(text: string): ParsedCidr {
  const parsed = parseStrict(text.trim());
  if (!parsed) return { ok: false, problem: `${text} is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64` };
  const [ip, prefix] = parsed;
  const kind = ip.kind();
  if (prefix > MAX_PREFIX[kind]) return { ok: false, problem: `${text} leaves no room for devices (prefix at most /${MAX_PREFIX[kind]})` };
  const cidr = `${ip.toString()}/${prefix}`;
  const network = kind === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  if (network.toString() === ip.toString()) {
    return { ok: false, problem: `${text} is the network's own address; give the gateway's, e.g. ${canonical(nextAddress(network), prefix)}` };
  }
  if (kind === "ipv4" && ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString() === ip.toString()) {
    return { ok: false, problem: `${text} is the broadcast address; give the gateway's address` };
  }
  return { ok: true, value: canonical(ip, prefix) };
}

/** A route: CIDR, or a bare address taken as a single host (/32 or /128). */
export function parseRouteCidr(text: string): ParsedCidr {
  const trimmed = text.trim();
  const withPrefix = trimmed.includes("/") ? trimmed : `${trimmed}/${ipaddr.IPv6.isValid(trimmed) ? 128 : 32}`;
  const parsed = parseStrict(withPrefix);
  if (!parsed) return { ok: false, problem: `${text} is not an address or network such as 10.0.0.0/8 or ::/0` };
  return { ok: true, value: canonical(parsed[0], parsed[1]) };
}

function nextAddress(ip: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = ip.toByteArray();
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = (bytes[i]! + 1) & 0xff;
    if (bytes[i] !== 0) break;
  }
  return ipaddr.fromByteArray(bytes);
}

/** `a, b` or `["a", "b"]` as a list of trimmed non-empty items. */
export function splitList(value: string | string[]): string[] {
  const items = Array.isArray(value) ? value : value.split(",");
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}
