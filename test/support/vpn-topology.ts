// The namespaces of a real-tunnel test: a "gateway" between a "laptop" (which reaches it over a veth, as
// over the internet) and a "behind" host (the office network the VPN leads to).
//
//   laptop 198.18.0.2/30 ── 198.18.0.1/30 gateway 198.18.0.5/30 ── 198.18.0.6/30 behind
//   tunnel: gateway 100.64.0.1, laptop 100.64.0.2 (from 100.64.0.0/10); behind routes 100.64.0.0/10 back
import type { NetnsLab } from "./netns.ts";

export const VPN_ADDRESSES = {
  gatewayVeth: "198.18.0.1",
  laptopVeth: "198.18.0.2",
  behindHost: "198.18.0.6",
  /** The subnet behind the gateway, reached only through the tunnel. */
  behindSubnet: "198.18.0.4/30",
  gatewayTunnel: "100.64.0.1",
  laptopTunnel: "100.64.0.2",
  tunnelNetwork: "100.64.0.0/10",
} as const;

export async function makeVpnTopology(lab: NetnsLab): Promise<{ gwNs: string; laptopNs: string; behindNs: string }> {
  const [gwNs, laptopNs, behindNs] = [await lab.namespace("gw"), await lab.namespace("lap"), await lab.namespace("bh")];
  await lab.veth(gwNs, "198.18.0.1/30", laptopNs, "198.18.0.2/30", "l");
  await lab.veth(gwNs, "198.18.0.5/30", behindNs, "198.18.0.6/30", "b");
  await lab.exec(gwNs, ["sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"]);
  await lab.exec(behindNs, ["ip", "route", "add", VPN_ADDRESSES.tunnelNetwork, "via", "198.18.0.5"]);
  return { gwNs, laptopNs, behindNs };
}
