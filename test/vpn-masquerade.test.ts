// DEFGUARD_MASQUERADE with real packets: the Core, our gateway in its namespace, an enrolled laptop, and a
// host behind the gateway that has NO route back to the VPN addresses. Without masquerade its answers
// cannot return; with it the host sees the gateway's LAN address and answers. The gateway's nftables
// table is counted after each start, restart and network change, and is gone after SIGTERM.
// Needs root, PostgreSQL and nft; skips with the reason otherwise.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { masqueradeScript, masqueradeTable } from "../gateway/masquerade-ruleset.ts";
import type { ServiceProcess } from "./support/services.ts";
import { VPN_ADDRESSES } from "./support/vpn-topology.ts";
import { type Laptop, VpnStack, until, vpnNetwork, vpnStackUnavailable } from "./support/vpn-stack.ts";
import { readdressClient, setClientPeer } from "./support/wg-client.ts";

const { gatewayTunnel, behindHost, behindSubnet, tunnelNetwork } = VPN_ADDRESSES;
/** The gateway's address on the link to the host behind it (vpn-topology.ts). */
const GATEWAY_LAN = "198.18.0.5";
const NETWORK = vpnNetwork("masq");

/** Why these tests cannot run here, or undefined: the VPN stack's needs, then nft and a kernel with NAT. */
function masqueradeUnavailable(): string | undefined {
  const stack = vpnStackUnavailable();
  if (stack) return stack;
  if (!Bun.which("nft")) return "no `nft` on PATH (.ci/run installs nftables)";
  const probe = `dgnat${Math.random().toString(16).slice(2, 8)}`;
  Bun.spawnSync(["ip", "netns", "add", probe]);
  try {
    const nat = Bun.spawnSync(["ip", "netns", "exec", probe, "nft", "-f", "-"], { stdin: new TextEncoder().encode(masqueradeScript("probe0")) });
    return nat.success ? undefined : `the kernel refuses an nftables nat chain: ${nat.stderr.toString().trim()}`;
  } finally {
    Bun.spawnSync(["ip", "netns", "del", probe]);
  }
}

const unavailable = masqueradeUnavailable();
if (unavailable) process.stderr.write(`vpn-masquerade tests skipped: ${unavailable}\n`);

/**
 * The host behind counts the pings it receives by source: from the gateway's LAN address (masqueraded)
 * or from a tunnel address (not), in a table of its own.
 */
const SOURCE_COUNTERS = `table inet probe {
  counter from_gateway {}
  counter from_tunnel {}
  chain input {
    type filter hook input priority 0; policy accept;
    icmp type echo-request ip saddr ${GATEWAY_LAN} counter name "from_gateway"
    icmp type echo-request ip saddr ${tunnelNetwork} counter name "from_tunnel"
  }
}
`;

describe.skipIf(unavailable !== undefined)("DEFGUARD_MASQUERADE through a real tunnel", () => {
  let stack: VpnStack;
  let behindNs: string;
  let networkId: number;
  let laptop: Laptop;
  let gateway: ServiceProcess;
  let table: string;

  const nft = (ns: string, args: string[], stdin?: string) => stack.lab.exec(ns, ["nft", ...args], stdin);
  /** Pings the host behind has received so far, by source. */
  const received = async () => {
    const packets = async (name: string) => JSON.parse(await nft(behindNs, ["-j", "list", "counter", "inet", "probe", name])).nftables[1].counter.packets as number;
    return { fromGateway: await packets("from_gateway"), fromTunnel: await packets("from_tunnel") };
  };
  /** One ping from the laptop to the host behind: answered or not, and how the host saw its source. */
  const pingBehind = async () => {
    const before = await received();
    const answered = await stack.lab.ping(stack.laptopNs, behindHost);
    const after = await received();
    return { answered, fromGateway: after.fromGateway - before.fromGateway, fromTunnel: after.fromTunnel - before.fromTunnel };
  };
  /** The rules of our table in the gateway namespace, as `nft -j` lists them; [] when there is no table. */
  const masqueradeRules = async () => {
    if (!(await nft(stack.gwNs, ["list", "tables"])).includes(table)) return [];
    const listed = JSON.parse(await nft(stack.gwNs, ["-j", "list", "table", "inet", table])) as { nftables: Record<string, any>[] };
    return listed.nftables.filter((entry) => "rule" in entry).map((entry) => entry.rule);
  };
  const startGateway = (masquerade: boolean) =>
    stack.startGateway(networkId, { DEFGUARD_LOG_LEVEL: "debug", ...(masquerade ? { DEFGUARD_MASQUERADE: "true" } : {}) });

  beforeAll(async () => {
    stack = await VpnStack.start();
    behindNs = stack.lab.name("bh");
    table = masqueradeTable(stack.gatewayIfname);
    await stack.lab.exec(behindNs, ["ip", "route", "del", tunnelNetwork]);
    await nft(behindNs, ["-f", "-"], SOURCE_COUNTERS);
    const network = await stack.admin("POST", "/network", NETWORK);
    expect(network.status).toBe(201);
    networkId = network.body.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test("off: a table left by a killed masquerading gateway is removed; pings reach the host behind with the tunnel source and go unanswered", async () => {
    await nft(stack.gwNs, ["-f", "-"], masqueradeScript(stack.gatewayIfname));
    gateway = await startGateway(false);
    expect(gateway.matching(`DEFGUARD_MASQUERADE is off; removing nftables table inet ${table} left by an earlier run`)).toHaveLength(1);
    expect(await masqueradeRules()).toEqual([]);
    laptop = await stack.enroll("alice", networkId);
    await stack.connect(laptop);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    // The request got there (forwarded, source unchanged); the answer had no way back.
    expect(await pingBehind()).toEqual({ answered: false, fromGateway: 0, fromTunnel: 1 });
    expect(await gateway.stop("SIGTERM")).toBe(0);
  });

  test("on: one rule in the gateway's table; the host behind answers and sees the gateway's LAN address", async () => {
    gateway = await startGateway(true);
    // Once at INFO as the interface is made, then again (DEBUG) with the Core's Configuration.
    const applied = `Masquerading traffic from ${stack.gatewayIfname} leaving by other interfaces (nftables table inet ${table})`;
    expect(gateway.matching(applied).map((line) => / (INFO|DEBUG) /.exec(line)?.[1])).toEqual(["INFO", "DEBUG"]);
    const rules = await masqueradeRules();
    expect(rules).toHaveLength(1);
    expect(rules[0].chain).toBe("postrouting");
    expect(JSON.stringify(rules[0].expr)).toContain('"masquerade"');
    // A fresh handshake now: otherwise the laptop notices the new interface only after 15 s of silence.
    await setClientPeer(stack.lab, stack.laptopNs, laptop.ifname, laptop.config);
    await stack.lab.waitForPing(stack.laptopNs, behindHost, true);
    expect(await pingBehind()).toEqual({ answered: true, fromGateway: 1, fromTunnel: 0 });
  });

  test("a network moved to new addresses: the table is applied afresh, still one rule, and the new subnet is masqueraded", async () => {
    const from = gateway.lines.length;
    const moved = await stack.admin("PUT", `/network/${networkId}`, { ...NETWORK, address: ["100.64.1.1/24"], allowed_ips: ["100.64.1.0/24", behindSubnet] });
    expect(moved.status).toBe(200);
    const devices = () => stack.admin("GET", `/network/${networkId}/devices`).then((a) => a.body as { pubkey: string; addresses: string[] }[]);
    const row = (await until(devices, (rows) => Boolean(rows.find((d) => d.pubkey === laptop.pubkey)?.addresses[0]?.startsWith("100.64.1."))))!.find(
      (d) => d.pubkey === laptop.pubkey,
    )!;
    await gateway.waitFor(`Masquerading traffic from ${stack.gatewayIfname}`, { from });
    expect(await masqueradeRules()).toHaveLength(1);
    await readdressClient(stack.lab, stack.laptopNs, laptop.ifname, { ...laptop.config, peer: { ...laptop.config.peer, allowedIps: ["100.64.1.0/24", behindSubnet] } }, [
      `${row.addresses[0]}/32`,
    ]);
    await stack.lab.waitForPing(stack.laptopNs, behindHost, true);
    expect(await pingBehind()).toEqual({ answered: true, fromGateway: 1, fromTunnel: 0 });
  });

  test("killed with SIGKILL the table stays (traffic goes on); the next start replaces it: still one rule", async () => {
    await gateway.stop("SIGKILL");
    expect(await masqueradeRules()).toHaveLength(1);
    // The interface outlives the killed gateway (its wireguard-go goes on), and so does the masquerade.
    expect(await pingBehind()).toEqual({ answered: true, fromGateway: 1, fromTunnel: 0 });
    gateway = await startGateway(true);
    expect(await masqueradeRules()).toHaveLength(1);
    await stack.lab.waitForPing(stack.laptopNs, behindHost, true);
  });

  test("SIGTERM removes the table with the interface; a start after that adds it once", async () => {
    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(gateway.matching(`Removed nftables table inet ${table}`)).toHaveLength(1);
    expect(await nft(stack.gwNs, ["list", "tables"])).not.toContain(table);
    gateway = await startGateway(true);
    expect(await masqueradeRules()).toHaveLength(1);
    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(await nft(stack.gwNs, ["list", "tables"])).toBe("");
  });

  test("an nft that fails at startup stops the gateway, naming the setting and nft's message, and the interface is removed", async () => {
    const bin = mkdtempSync(join(tmpdir(), "dg-nft-"));
    try {
      writeFileSync(join(bin, "nft"), "#!/bin/sh\necho 'Error: Could not process rule: No such file or directory' >&2\nexit 1\n");
      chmodSync(join(bin, "nft"), 0o755);
      const ifname = stack.lab.name("wgf");
      const failing = stack.lab.spawn("gateway with a failing nft", stack.gwNs, [process.execPath, "gateway/main.ts"], {
        PATH: `${bin}:${process.env.PATH}`,
        DEFGUARD_TOKEN: "not.used.here",
        DEFGUARD_GRPC_URL: "http://127.0.0.1:9",
        DEFGUARD_IFNAME: ifname,
        DEFGUARD_MASQUERADE: "true",
      });
      expect(await failing.exited).toBe(1);
      expect(failing.output).toContain(
        "defguard-gateway: cannot start, DEFGUARD_MASQUERADE: could not set up masquerading: nft -f -… exited with 1: Error: Could not process rule: No such file or directory",
      );
      expect(Bun.spawnSync(["ip", "-n", stack.gwNs, "link", "show", "dev", ifname]).success).toBe(false);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
