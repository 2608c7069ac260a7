// The nftables text of DEFGUARD_MASQUERADE, for `nft -f -`: one table of ours per WireGuard interface,
// replaced or removed whole in one transaction. Pure; gateway/masquerade.ts runs it.
//
// As Defguard's gateway does it (1.6, nftables): an `inet` table named after the interface, a nat chain
// on the postrouting hook at priority 100 (srcnat), a counter and `masquerade`. Defguard matches every
// packet not leaving by `lo`; ours matches what the clients send: packets that came in by the WireGuard
// interface and leave by another one, so the host's own traffic and client-to-client traffic keep
// their sources.

/** Netfilter's source NAT priority (`srcnat`), Defguard's POSTROUTING priority. */
export const SRCNAT_PRIORITY = 100;
/** Our rule's comment: `nft list ruleset` tells an operator which setting put it there. */
export const RULE_COMMENT = "defguard-gateway DEFGUARD_MASQUERADE";

/**
 * The table of interface `ifname`: `defguard_<ifname>`, so that gateways of two interfaces on one host
 * keep apart. Any name DEFGUARD_IFNAME accepts (letters, digits, `_`, `-`, `.`) makes a valid nft name.
 */
export function masqueradeTable(ifname: string): string {
  return `defguard_${ifname}`;
}

/**
 * Makes the table exist (empty when new) and deletes it: together, a removal that succeeds whether or not
 * the table is there (`nft destroy` needs nftables 1.0.8 and Linux 6.3).
 */
function dropTable(table: string): string[] {
  return [`table inet ${table} {}`, `delete table inet ${table}`];
}

/**
 * The script that leaves exactly one masquerade rule for `ifname`, whatever was there before: the old
 * table (a crashed gateway's, or this one's) is dropped and the new one added in the same transaction,
 * so a restart never duplicates the rule and traffic is never without it in between.
 */
export function masqueradeScript(ifname: string): string {
  const table = masqueradeTable(ifname);
  return [
    ...dropTable(table),
    `table inet ${table} {`,
    "\tchain postrouting {",
    `\t\ttype nat hook postrouting priority ${SRCNAT_PRIORITY}; policy accept;`,
    `\t\tiifname "${ifname}" oifname != "${ifname}" counter masquerade comment "${RULE_COMMENT}"`,
    "\t}",
    "}",
    "",
  ].join("\n");
}

/** The script that removes `ifname`'s table; nothing happens when there is none. */
export function removeScript(ifname: string): string {
  return [...dropTable(masqueradeTable(ifname)), ""].join("\n");
}
