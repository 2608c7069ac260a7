// A "laptop" for the real-tunnel tests: brings up a WireGuard configuration as a user downloads it
// (wg-quick's format) inside a namespace, with wireguard-go, `wg` and `ip`, as wg-quick would.
import type { NetnsLab } from "./netns.ts";
import type { ServiceProcess } from "./services.ts";

export interface ClientConfig {
  privateKey: string;
  addresses: string[];
  peer: { publicKey: string; presharedKey?: string; allowedIps: string[]; endpoint: string; keepalive?: number };
}

/** Parses a wg-quick file with one [Interface] and one [Peer]; throws naming a missing key. */
export function parseClientConfig(text: string): ClientConfig {
  const sections: Record<string, Record<string, string>> = {};
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = section[1]!.toLowerCase();
      sections[current] = {};
      continue;
    }
    const eq = line.indexOf("=");
    if (eq > 0 && current) sections[current]![line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  const need = (section: string, key: string) => {
    const value = sections[section]?.[key];
    if (!value) throw new Error(`the configuration has no ${key} in [${section}]:\n${text}`);
    return value;
  };
  const list = (value: string) => value.split(",").map((v) => v.trim()).filter(Boolean);
  const keepalive = sections.peer?.persistentkeepalive;
  return {
    privateKey: need("interface", "privatekey"),
    addresses: list(need("interface", "address")),
    peer: {
      publicKey: need("peer", "publickey"),
      presharedKey: sections.peer?.presharedkey,
      allowedIps: list(need("peer", "allowedips")),
      endpoint: need("peer", "endpoint"),
      keepalive: keepalive ? Number(keepalive) : undefined,
    },
  };
}

/** Starts wireguard-go for `ifname` in `ns` (a process the lab owns) and waits until `wg` reaches it. */
export async function startWireguardGo(lab: NetnsLab, ns: string, ifname: string): Promise<ServiceProcess> {
  const child = lab.spawn(`wireguard-go ${ifname}`, ns, ["wireguard-go", "-f", ifname], { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1" });
  for (let i = 0; i < 250; i++) {
    if (!child.running) throw new Error(`wireguard-go ${ifname} exited: ${child.output}`);
    if (await lab.exec(ns, ["wg", "show", ifname, "public-key"]).then(() => true, () => false)) return child;
    await Bun.sleep(20);
  }
  throw new Error(`wireguard-go ${ifname} did not start: ${child.output}`);
}

/** Brings `config` up on a new interface `ifname` in `ns`: keys, peer, addresses, routes to the allowed IPs. */
export async function bringUpClient(lab: NetnsLab, ns: string, ifname: string, config: ClientConfig): Promise<ServiceProcess> {
  const process = await startWireguardGo(lab, ns, ifname);
  await setClientPeer(lab, ns, ifname, config);
  for (const address of config.addresses) await lab.exec(ns, ["ip", "address", "add", address, "dev", ifname]);
  await lab.exec(ns, ["ip", "link", "set", ifname, "up"]);
  for (const cidr of config.peer.allowedIps) await lab.exec(ns, ["ip", "route", "replace", cidr, "dev", ifname]);
  return process;
}

/**
 * Sets the private key and the one peer afresh (e.g. with the preshared key MFA returned): the old peer
 * is removed first, so that its session ends and the next packet starts a new handshake.
 */
export async function setClientPeer(lab: NetnsLab, ns: string, ifname: string, config: ClientConfig): Promise<void> {
  const { peer } = config;
  await lab.exec(ns, ["wg", "set", ifname, "peer", peer.publicKey, "remove"]);
  const args = ["wg", "set", ifname, "private-key", "/dev/stdin", "peer", peer.publicKey, "endpoint", peer.endpoint, "allowed-ips", peer.allowedIps.join(",")];
  if (peer.keepalive) args.push("persistent-keepalive", String(peer.keepalive));
  await lab.exec(ns, args, `${config.privateKey}\n`);
  if (peer.presharedKey) await lab.exec(ns, ["wg", "set", ifname, "peer", peer.publicKey, "preshared-key", "/dev/stdin"], `${peer.presharedKey}\n`);
}

/** Moves the client to new tunnel addresses and `config`'s allowed IPs, as a re-downloaded configuration would. */
export async function readdressClient(lab: NetnsLab, ns: string, ifname: string, config: ClientConfig, addresses: string[]): Promise<ClientConfig> {
  for (const address of addresses) await lab.exec(ns, ["ip", "address", "add", address, "dev", ifname]);
  for (const address of config.addresses) if (!addresses.includes(address)) await lab.exec(ns, ["ip", "address", "del", address, "dev", ifname]);
  await lab.exec(ns, ["wg", "set", ifname, "peer", config.peer.publicKey, "allowed-ips", config.peer.allowedIps.join(",")]);
  // Removing an address can take the device's routes with it: put them back.
  for (const cidr of config.peer.allowedIps) await lab.exec(ns, ["ip", "route", "replace", cidr, "dev", ifname]);
  return { ...config, addresses };
}
