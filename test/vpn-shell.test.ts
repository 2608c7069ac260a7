// The gateway's WireGuard shell against real WireGuard in network namespaces (no Core): packets from a
// "laptop" reach the gateway and a host behind it exactly while the shell says the peer may connect.
// Needs root; skips with the reason otherwise.
import type { Subprocess } from "bun";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { run } from "../gateway/command.ts";
import { forEachLine } from "../shared/line-reader.ts";
import type { PeerChanges, WgPeer } from "../gateway/peer-diff.ts";
import { NetnsLab, netnsUnavailable } from "./support/netns.ts";
import { type ClientConfig, bringUpClient, readdressClient, setClientPeer } from "./support/wg-client.ts";
import { VPN_ADDRESSES, makeVpnTopology } from "./support/vpn-topology.ts";

const unavailable = netnsUnavailable();
if (unavailable) process.stderr.write(`vpn-shell tests skipped: ${unavailable}\n`);

async function keyPair(): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = (await run(["wg", "genkey"])).trim();
  return { privateKey, publicKey: (await run(["wg", "pubkey"], { stdin: `${privateKey}\n` })).trim() };
}

/** The shell driven inside the gateway namespace (test/support/wg-shell-driver.ts). */
class ShellDriver {
  private readonly child: Subprocess<"pipe", "pipe", "inherit">;
  private readonly answers: ((line: string) => void)[] = [];

  constructor(ns: string) {
    const child = Bun.spawn(["ip", "netns", "exec", ns, process.execPath, "test/support/wg-shell-driver.ts"], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
    this.child = child;
    void forEachLine(child.stdout, (line) => this.answers.shift()?.(line));
  }

  async call<T = unknown>(request: Record<string, unknown>): Promise<T> {
    const answer = new Promise<string>((resolve) => this.answers.push(resolve));
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    this.child.stdin.flush();
    const parsed = JSON.parse(await answer) as { ok: boolean; result: T; error?: string };
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.result;
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await this.child.exited;
    clearTimeout(timer);
  }
}

const changes = (partial: Partial<PeerChanges>): PeerChanges => ({ add: [], modify: [], remove: [], ...partial });

describe.skipIf(unavailable !== undefined)("the gateway's WireGuard shell in network namespaces", () => {
  const lab = new NetnsLab();
  let driver: ShellDriver;
  let gwNs: string;
  let laptopNs: string;
  let gwIf: string;
  let client: ClientConfig;
  let laptopPeer: WgPeer;
  const gateway = { privateKey: "", publicKey: "" };

  beforeAll(async () => {
    ({ gwNs, laptopNs } = await makeVpnTopology(lab));
    gwIf = lab.name("wg");
    Object.assign(gateway, await keyPair());
    const laptop = await keyPair();
    laptopPeer = { pubkey: laptop.publicKey, allowedIps: [`${VPN_ADDRESSES.laptopTunnel}/32`] };
    client = {
      privateKey: laptop.privateKey,
      addresses: [`${VPN_ADDRESSES.laptopTunnel}/32`],
      peer: { publicKey: gateway.publicKey, endpoint: `${VPN_ADDRESSES.gatewayVeth}:51820`, allowedIps: ["100.64.0.0/10", VPN_ADDRESSES.behindSubnet], keepalive: 1 },
    };
    driver = new ShellDriver(gwNs);
  });

  afterAll(async () => {
    await driver?.close().catch(() => undefined);
    await lab.cleanup();
  });

  test("creates the interface: kernel WireGuard when the kernel has it, wireguard-go otherwise", async () => {
    const kernel = Bun.spawnSync(["ip", "-n", gwNs, "link", "add", lab.name("probe"), "type", "wireguard"]).success;
    if (kernel) await run(["ip", "-n", gwNs, "link", "del", lab.name("probe")]);
    const { implementation } = await driver.call<{ implementation: string }>({ op: "create", ifname: gwIf, userspace: false });
    expect(implementation).toBe(kernel ? "kernel" : "wireguard-go");
    await driver.call({ op: "configure", settings: { prvkey: gateway.privateKey, port: 51820, addresses: [`${VPN_ADDRESSES.gatewayTunnel}/24`] } });
    const dump = await driver.call<{ publicKey: string; listenPort: number; peers: unknown[] }>({ op: "dump" });
    expect(dump).toMatchObject({ publicKey: gateway.publicKey, listenPort: 51820, peers: [] });
    expect(await lab.exec(gwNs, ["ip", "-br", "address", "show", "dev", gwIf])).toContain(`${VPN_ADDRESSES.gatewayTunnel}/24`);
  });

  test("no packets pass before the peer is added; after it, the gateway and the host behind it answer", async () => {
    await bringUpClient(lab, laptopNs, lab.name("lap"), client);
    expect(await lab.ping(laptopNs, VPN_ADDRESSES.gatewayTunnel)).toBe(false);
    await driver.call({ op: "apply", changes: changes({ add: [laptopPeer] }) });
    await lab.waitForPing(laptopNs, VPN_ADDRESSES.gatewayTunnel, true);
    await lab.waitForPing(laptopNs, VPN_ADDRESSES.behindHost, true);
    const dump = await driver.call<{ peers: { public_key: string; latest_handshake: number; download: number; upload: number; allowed_ips: string }[] }>({ op: "dump" });
    const figures = dump.peers.find((p) => p.public_key === laptopPeer.pubkey)!;
    expect(figures.allowed_ips).toBe(`${VPN_ADDRESSES.laptopTunnel}/32`);
    expect(figures.latest_handshake).toBeGreaterThan(0);
    expect(figures.download).toBeGreaterThan(0);
    expect(figures.upload).toBeGreaterThan(0);
  });

  test("a preshared key set through a file cuts a client without it; the client with it gets through; /dev/null removes it again", async () => {
    const psk = (await run(["wg", "genpsk"])).trim();
    await driver.call({ op: "apply", changes: changes({ modify: [{ ...laptopPeer, presharedKey: psk }] }) });
    const dump = await driver.call<{ presharedKeys: Record<string, string> }>({ op: "dump" });
    expect(dump.presharedKeys[laptopPeer.pubkey]).toBe(psk);
    // A fresh handshake is needed for the key to matter: the client's new session fails without it.
    await setClientPeer(lab, laptopNs, lab.name("lap"), { ...client, peer: { ...client.peer, presharedKey: (await run(["wg", "genpsk"])).trim() } });
    await lab.waitForPing(laptopNs, VPN_ADDRESSES.gatewayTunnel, false);
    await setClientPeer(lab, laptopNs, lab.name("lap"), { ...client, peer: { ...client.peer, presharedKey: psk } });
    await lab.waitForPing(laptopNs, VPN_ADDRESSES.gatewayTunnel, true);
    await driver.call({ op: "apply", changes: changes({ modify: [laptopPeer] }) });
    expect((await driver.call<{ presharedKeys: Record<string, string> }>({ op: "dump" })).presharedKeys).toEqual({});
  });

  test("new addresses replace the old ones; the tunnel works at the new address", async () => {
    // A readdressed network moves the gateway and its devices to the new subnet together.
    await driver.call({ op: "configure", settings: { prvkey: gateway.privateKey, port: 51820, addresses: ["100.64.1.1/24"] } });
    const shown = await lab.exec(gwNs, ["ip", "-br", "address", "show", "dev", gwIf]);
    expect(shown).toContain("100.64.1.1/24");
    expect(shown).not.toContain(`${VPN_ADDRESSES.gatewayTunnel}/24`);
    laptopPeer = { ...laptopPeer, allowedIps: ["100.64.1.2/32"] };
    await driver.call({ op: "apply", changes: changes({ modify: [laptopPeer] }) });
    await readdressClient(lab, laptopNs, lab.name("lap"), client, ["100.64.1.2/32"]);
    await lab.waitForPing(laptopNs, "100.64.1.1", true);
    await lab.waitForPing(laptopNs, VPN_ADDRESSES.behindHost, true);
  });

  test("removing the peer stops its traffic", async () => {
    await driver.call({ op: "apply", changes: changes({ remove: [laptopPeer.pubkey] }) });
    await lab.waitForPing(laptopNs, "100.64.1.1", false);
    await lab.waitForPing(laptopNs, VPN_ADDRESSES.behindHost, false);
    expect((await driver.call<{ peers: unknown[] }>({ op: "dump" })).peers).toEqual([]);
  });

  test("destroy removes the interface and stops wireguard-go", async () => {
    await driver.call({ op: "destroy" });
    expect(Bun.spawnSync(["ip", "-n", gwNs, "link", "show", "dev", gwIf]).success).toBe(false);
    expect(await Bun.file(`/var/run/wireguard/${gwIf}.sock`).exists()).toBe(false);
  });
});
