// The interface's own settings (private key, listen port, addresses) and what must change to go from
// the ones it has to the ones the Core sends. Pure, like peer-diff.ts.
import ipaddr from "ipaddr.js";

export interface InterfaceSettings {
  /** Base64 private key of the network. */
  prvkey: string;
  port: number;
  /** The gateway's addresses in CIDR form (`100.64.0.1/24`), as `ip addr` shows them. */
  addresses: string[];
}

export interface SettingsChanges {
  /** Set the private key (it differs, or is not known yet). */
  prvkey?: string;
  port?: number;
  addAddresses: string[];
  removeAddresses: string[];
}

/** `100.64.0.1/24` in the form `ip -j addr` reports (`local/prefixlen`), or null when it is no CIDR. */
export function canonicalCidr(cidr: string): string | null {
  try {
    const [address, prefix] = ipaddr.parseCIDR(cidr.trim());
    return `${address.toString()}/${prefix}`;
  } catch {
    return null;
  }
}

/** Valid CIDRs of `addresses`, canonical and without duplicates; `invalid` lists what was dropped. */
export function cleanAddresses(addresses: readonly string[]): { valid: string[]; invalid: string[] } {
  const valid = new Set<string>();
  const invalid: string[] = [];
  for (const entry of addresses) {
    const cidr = canonicalCidr(entry);
    if (cidr) valid.add(cidr);
    else invalid.push(entry);
  }
  return { valid: [...valid], invalid };
}

/** What to change on an interface that has `have` (undefined: nothing known) to make it `should`. */
export function diffSettings(have: InterfaceSettings | undefined, should: InterfaceSettings): SettingsChanges {
  const current = new Set(have?.addresses ?? []);
  const wanted = new Set(should.addresses);
  return {
    prvkey: have?.prvkey === should.prvkey ? undefined : should.prvkey,
    port: have?.port === should.port ? undefined : should.port,
    addAddresses: should.addresses.filter((a) => !current.has(a)),
    removeAddresses: [...current].filter((a) => !wanted.has(a)),
  };
}
