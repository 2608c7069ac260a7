// Picks a device's address in a WireGuard network: the first free host address of each CIDR the network
// has, never the network address, the IPv4 broadcast address, or the gateway (the host part written in
// the network's address, e.g. 10.1.0.1 in 10.1.0.1/24). Pure: the caller reads the taken addresses and
// the database's primary key decides any race.
import ipaddr from "ipaddr.js";

type IpKind = "ipv4" | "ipv6";

/** One CIDR as integers, for arithmetic over IPv4 and IPv6 alike. */
interface ParsedCidr {
  kind: IpKind;
  /** The written address, e.g. 10.1.0.1 of 10.1.0.1/24: the gateway's own address. */
  gateway: bigint;
  /** The network address (all host bits zero). */
  first: bigint;
  /** The highest address (all host bits one): the broadcast address in IPv4. */
  last: bigint;
}

const BITS: Record<IpKind, number> = { ipv4: 32, ipv6: 128 };

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

function fromBigInt(kind: IpKind, value: bigint): string {
  const bytes: number[] = [];
  for (let i = 0; i < BITS[kind] / 8; i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  const address = ipaddr.fromByteArray(bytes);
  return address.kind() === "ipv6" ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

/** Parses `10.1.0.1/24` or `fd00::1/64`; throws TypeError for anything else. */
export function parseCidr(cidr: string): ParsedCidr {
  if (!ipaddr.isValidCIDR(cidr)) throw new TypeError(`not an address in CIDR notation: ${cidr}`);
  const [address, prefix] = ipaddr.parseCIDR(cidr);
  const kind = address.kind();
  const hostBits = BigInt(BITS[kind] - prefix);
  const gateway = toBigInt(address);
  const first = (gateway >> hostBits) << hostBits;
  return { kind, gateway, first, last: first + (1n << hostBits) - 1n };
}

/** Dotted decimal without leading zeros, as PostgreSQL's host() writes IPv4: read without ipaddr.js. */
const CANONICAL_IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** The integer of a canonical dotted-decimal IPv4 address, or undefined for any other text. */
function canonicalIpv4(text: string): number | undefined {
  const octets = CANONICAL_IPV4.exec(text);
  if (!octets) return undefined;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(octets[i]);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** `kind:integer` keys of the taken addresses; strings that are no address are ignored. */
function takenKeys(taken: Iterable<string>): Set<string> {
  const keys = new Set<string>();
  for (const text of taken) {
    // A taken set may hold a whole network's addresses: the common form skips ipaddr.js's general parser.
    const ipv4 = canonicalIpv4(text);
    if (ipv4 !== undefined) {
      keys.add(`ipv4:${ipv4}`);
      continue;
    }
    if (!ipaddr.isValid(text)) continue;
    const address = ipaddr.parse(text);
    keys.add(`${address.kind()}:${toBigInt(address)}`);
  }
  return keys;
}

/** The highest host address of a CIDR: in IPv4 the broadcast address is no host. */
function lastHost(cidr: ParsedCidr): bigint {
  return cidr.kind === "ipv4" ? cidr.last - 1n : cidr.last;
}

/** The free host addresses of `cidr` in ascending order: not the network address, broadcast or gateway, not taken. */
function* freeHosts(cidr: ParsedCidr, taken: ReadonlySet<string>): Generator<string> {
  const highest = lastHost(cidr);
  // Each candidate skipped is the gateway or a taken address, so this runs at most |taken| + 1 times more
  // than the hosts it gives, even in an IPv6 /64.
  for (let candidate = cidr.first + 1n; candidate <= highest; candidate++) {
    if (candidate === cidr.gateway || taken.has(`${cidr.kind}:${candidate}`)) continue;
    yield fromBigInt(cidr.kind, candidate);
  }
}

/**
 * The first free host address of `cidr` (e.g. `10.1.0.1/24` -> `10.1.0.2`), or undefined when none is
 * left. IPv4 /31 and /32 and IPv6 /128 have no host address to give. Throws TypeError for a bad CIDR.
 */
export function firstFreeHost(cidr: string, taken: Iterable<string>): string | undefined {
  return freeHosts(parseCidr(cidr), takenKeys(taken)).next().value ?? undefined;
}

/**
 * One address in each of a network's CIDRs, in the same order, or undefined when any CIDR is full: a
 * device gets all of its addresses in a network or none (Defguard skips such a network).
 */
export function allocateHosts(cidrs: readonly string[], taken: Iterable<string>): string[] | undefined {
  return allocateHostsFor(cidrs, taken, 1)?.[0];
}

/**
 * Addresses for `count` devices at once: device i gets the i-th free host of each CIDR (in CIDR order), so
 * the devices fill the lowest free hosts as one at a time would. Undefined when a CIDR has fewer than
 * `count` free hosts. Throws TypeError for a bad CIDR.
 */
export function allocateHostsFor(cidrs: readonly string[], taken: Iterable<string>, count: number): string[][] | undefined {
  const keys = takenKeys(taken);
  const perCidr: string[][] = [];
  for (const cidr of cidrs) {
    const hosts: string[] = [];
    for (const host of freeHosts(parseCidr(cidr), keys)) {
      if (hosts.length === count) break;
      hosts.push(host);
    }
    if (hosts.length < count) return undefined;
    perCidr.push(hosts);
  }
  return Array.from({ length: count }, (_, device) => perCidr.map((hosts) => hosts[device]!));
}

/** True when `address` (any text) is a host address of `cidr`, as firstFreeHost could give it. Throws TypeError for a bad CIDR. */
export function isHostOf(cidr: string, address: string): boolean {
  const parsed = parseCidr(cidr);
  const value = addressValue(address);
  if (!value || value.kind !== parsed.kind) return false;
  return value.value > parsed.first && value.value <= lastHost(parsed) && value.value !== parsed.gateway;
}

/** Where the database searches for the first free host of one CIDR, as address texts. */
export interface HostSearch {
  /** The lowest host that may be free: the CIDR's lowest host, or the hint when that is higher. */
  start: string;
  /** The highest host (the IPv4 broadcast address is none). */
  high: string;
  /** Never given, though it may lie among the hosts. */
  gateway: string;
  /** The host right after the gateway when it lies in [start, high]: a gap the search cannot see. */
  afterGateway: string | null;
}

/** `kind` and value of an address text, or undefined for text that is no address. */
function addressValue(text: string): { kind: IpKind; value: bigint } | undefined {
  const [kind, value] = ([...takenKeys([text])][0] ?? "").split(":");
  return kind === "ipv4" || kind === "ipv6" ? { kind, value: BigInt(value!) } : undefined;
}

/**
 * The search for the first free host of `cidr`, starting from `hint` (every host below it is known to be
 * taken; null, another family or an address below the hosts: nothing is known). Undefined when no host is
 * left at or after the start: the CIDR is full, or has no host at all (IPv4 /31 and /32, IPv6 /128).
 * Throws TypeError for a bad CIDR.
 */
export function hostSearch(cidr: string, hint: string | null): HostSearch | undefined {
  const parsed = parseCidr(cidr);
  const high = lastHost(parsed);
  let start = parsed.first + 1n;
  const known = hint === null ? undefined : addressValue(hint);
  if (known?.kind === parsed.kind && known.value > start) start = known.value;
  if (start > high) return undefined;
  const afterGateway = parsed.gateway + 1n;
  return {
    start: fromBigInt(parsed.kind, start),
    high: fromBigInt(parsed.kind, high),
    gateway: fromBigInt(parsed.kind, parsed.gateway),
    afterGateway: afterGateway >= start && afterGateway <= high ? fromBigInt(parsed.kind, afterGateway) : null,
  };
}

/**
 * The hint to store once `address` is given out, every host below it being taken: the next address, or
 * `address` itself at the very end of its family's space. Throws TypeError for text that is no address.
 */
export function hintAfter(address: string): string {
  const parsed = addressValue(address);
  if (!parsed) throw new TypeError(`not an address: ${address}`);
  const next = parsed.value + 1n;
  return next < 1n << BigInt(BITS[parsed.kind]) ? fromBigInt(parsed.kind, next) : address;
}

/**
 * Addresses in PostgreSQL's `ORDER BY family(address), address` order: IPv4 before IPv6, each by value;
 * text that is no address goes last, as given. The order a device's addresses are listed in its config.
 */
export function inAddressOrder(addresses: readonly string[]): string[] {
  const keyed = addresses.map((text) => {
    const parsed = addressValue(text);
    return { text, rank: parsed ? (parsed.kind === "ipv4" ? 0 : 1) : 2, value: parsed?.value ?? 0n };
  });
  keyed.sort((a, b) => a.rank - b.rank || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return keyed.map((entry) => entry.text);
}
