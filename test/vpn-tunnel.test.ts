// The VPN end to end with real packets: the Proxy, the Core and PostgreSQL as processes, our gateway in a
// network namespace, a laptop enrolled through the Proxy's API bringing its downloaded configuration up
// with wireguard-go in another, and a host behind the gateway. Each admin action shows in the traffic.
// Needs root and PostgreSQL; skips with the reason otherwise.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import type { ServiceProcess } from "./support/services.ts";
import { VPN_ADDRESSES } from "./support/vpn-topology.ts";
import { type Laptop, VpnStack, until, vpnNetwork, vpnStackUnavailable } from "./support/vpn-stack.ts";
import { readdressClient } from "./support/wg-client.ts";

const unavailable = vpnStackUnavailable();
if (unavailable) process.stderr.write(`vpn-tunnel tests skipped: ${unavailable}\n`);

const { gatewayTunnel, behindHost, behindSubnet, gatewayVeth } = VPN_ADDRESSES;
const OFFICE = vpnNetwork("office");

interface DeviceRow {
  pubkey: string;
  addresses: string[];
  connected: boolean;
  last_handshake: string | null;
  upload: number;
  download: number;
}


/** The gateways' health checks, on the gateway namespace's own loopback. */
const HEALTH_PORT = 8081;
const FORGED_HEALTH_PORT = 8082;

/** `GET /health` of a gateway inside the namespace: status and body. */
async function health(stack: VpnStack, port: number): Promise<string> {
  const script = `const r = await fetch("http://127.0.0.1:${port}/health"); console.log(r.status + " " + (await r.text()));`;
  return (await stack.lab.exec(stack.gwNs, [process.execPath, "-e", script])).trim();
}

/** A file the gateway's PRE_UP/POST_UP/PRE_DOWN/POST_DOWN commands append their names to. */
const HOOK_LOG = `/tmp/dg-gateway-hooks-${process.pid}.log`;
const hookEnv = () =>
  Object.fromEntries(["PRE_UP", "POST_UP", "PRE_DOWN", "POST_DOWN"].map((hook) => [hook, `echo ${hook} $(ip -br link show | grep -c wg) >> ${HOOK_LOG}`]));

describe.skipIf(unavailable !== undefined)("a real tunnel through our gateway", () => {
  let stack: VpnStack;
  let networkId: number;
  let gateway: ServiceProcess;
  let alice: Laptop;

  const device = async (pubkey: string) => {
    const answer = await stack.admin("GET", `/network/${networkId}/devices`);
    return (answer.body as DeviceRow[]).find((d) => d.pubkey === pubkey);
  };

  beforeAll(async () => {
    stack = await VpnStack.start();
    const network = await stack.admin("POST", "/network", OFFICE);
    expect(network.status).toBe(201);
    networkId = network.body.id;
    gateway = await stack.startGateway(networkId, { ...hookEnv(), DEFGUARD_LOG_LEVEL: "debug", HEALTH_PORT: String(HEALTH_PORT), DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1" });
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(HOOK_LOG, { force: true });
  });

  test("an enrolled laptop pings the gateway and the host behind it; the admin API shows it connected with transfer", async () => {
    alice = await stack.enroll("alice", networkId);
    expect(alice.config.peer.endpoint).toBe(`${gatewayVeth}:51820`);
    await stack.connect(alice);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    await stack.lab.waitForPing(stack.laptopNs, behindHost, true);
    const row = await until(() => device(alice.pubkey), (d) => Boolean(d?.connected && d.download > 0 && d.upload > 0));
    expect(row!.last_handshake).not.toBeNull();
    const gateways = await stack.admin("GET", `/network/${networkId}/gateways`);
    expect(gateways.body).toEqual([expect.objectContaining({ name: "test gateway", connected: true })]);
    expect(gateway.matching("Applied update of peer").length).toBeGreaterThan(0);
    expect(await health(stack, HEALTH_PORT)).toBe("200 alive");
  });

  test("another device's arrival leaves the connected peer untouched: same session, no new handshake", async () => {
    const handshakeOf = async (pubkey: string) =>
      (await stack.lab.exec(stack.gwNs, ["wg", "show", stack.gatewayIfname, "latest-handshakes"])).split("\n").find((l) => l.startsWith(pubkey))!.split("\t")[1];
    const before = await handshakeOf(alice.pubkey);
    expect(Number(before)).toBeGreaterThan(0);
    expect((await stack.admin("POST", "/user", { username: "zed", first_name: "Zed", last_name: "User", email: "zed@example.com" })).status).toBe(201);
    const added = await stack.admin("POST", "/device/zed", { name: "zed-pc", wireguard_pubkey: Buffer.alloc(32, 7).toString("base64") });
    expect(added.status).toBe(201);
    await until(() => stack.gatewayPeers(), (peers) => peers.has(Buffer.alloc(32, 7).toString("base64")));
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    expect(await handshakeOf(alice.pubkey)).toBe(before);
  });

  test("the admin deletes the device: the gateway drops the peer and the traffic stops", async () => {
    const row = await stack.admin("GET", `/device/user/alice`);
    const id = (row.body as { id: number; wireguard_pubkey?: string; pubkey?: string }[])[0]!.id;
    expect((await stack.admin("DELETE", `/device/${id}`)).status).toBe(200);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, false);
    await stack.lab.waitForPing(stack.laptopNs, behindHost, false);
    expect((await stack.gatewayPeers()).has(alice.pubkey)).toBe(false);
  });

  test("a disabled user's device is cut the same way", async () => {
    const bob = await stack.enroll("bob", networkId);
    await stack.connect(bob);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    expect((await stack.admin("PUT", "/user/bob", { is_active: false })).status).toBe(200);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, false);
    expect((await stack.gatewayPeers()).has(bob.pubkey)).toBe(false);
  });

  test("a network moved to new addresses: the gateway and the device follow, the tunnel works at the new address", async () => {
    const carol = await stack.enroll("carol", networkId);
    await stack.connect(carol);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    const moved = await stack.admin("PUT", `/network/${networkId}`, { ...OFFICE, address: ["100.64.1.1/24"], allowed_ips: ["100.64.1.0/24", behindSubnet] });
    expect(moved.status).toBe(200);
    const row = await until(() => device(carol.pubkey), (d) => Boolean(d?.addresses[0]?.startsWith("100.64.1.")));
    await until(() => stack.gatewayPeers(), (peers) => peers.get(carol.pubkey) === `${row!.addresses[0]}/32`);
    await readdressClient(stack.lab, stack.laptopNs, carol.ifname, { ...carol.config, peer: { ...carol.config.peer, allowedIps: ["100.64.1.0/24", behindSubnet] } }, [`${row!.addresses[0]}/32`]);
    await stack.lab.waitForPing(stack.laptopNs, "100.64.1.1", true);
    await stack.lab.waitForPing(stack.laptopNs, behindHost, true);
  });

  test("a gateway with a token that is not the Core's is refused with Defguard's message, named in the log, and keeps retrying", async () => {
    const forged = stack.lab.spawn("forged gateway", stack.gwNs, [process.execPath, "gateway/main.ts"], {
      DEFGUARD_TOKEN: "eyJhbGciOiJIUzI1NiJ9.eyJjbGllbnRfaWQiOiIxIn0.bm90LXNpZ25lZC1ieS10aGUtY29yZQ",
      DEFGUARD_GRPC_URL: "http://127.0.0.1:50055",
      DEFGUARD_IFNAME: stack.lab.name("wgx"),
      HEALTH_PORT: String(FORGED_HEALTH_PORT),
      DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    });
    const refused = await forged.waitFor("Cannot connect to Defguard gRPC endpoint");
    expect(refused).toContain(
      "configuration request failed: the Core refused the token (Invalid token): DEFGUARD_TOKEN must be this network's token from the Core (GET /api/v1/network/{id}/token); retrying in",
    );
    expect(await health(stack, FORGED_HEALTH_PORT)).toBe("503 Not connected to core");
    await forged.stop();
  });

  test("SIGTERM: the hooks run in order around the interface, which is removed with its wireguard-go", async () => {
    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(gateway.matching("Defguard gateway stopped").length).toBe(1);
    // Each line: the hook, then how many of the namespace's links are WireGuard ones at that moment.
    expect(readFileSync(HOOK_LOG, "utf8").trim().split("\n")).toEqual(["PRE_UP 0", "POST_UP 1", "PRE_DOWN 1", "POST_DOWN 0"]);
    expect(Bun.spawnSync(["ip", "-n", stack.gwNs, "link", "show", "dev", stack.gatewayIfname]).success).toBe(false);
    expect(await Bun.file(`/var/run/wireguard/${stack.gatewayIfname}.sock`).exists()).toBe(false);
  });
});
