// Our gateway when the other side goes away: killed, the Core shows it disconnected; its Core dying and a
// second Core (same PostgreSQL) taking over, or the Core restarting, it reconnects and its interface's
// peers are exactly the database's, with the changes made while it was away and nothing doubled; a
// device added through one Core reaches it connected to the other. Needs root and PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { run } from "../gateway/command.ts";
import type { ServiceProcess } from "./support/services.ts";
import { VPN_ADDRESSES } from "./support/vpn-topology.ts";
import { type StackCore, VpnStack, until, vpnNetwork, vpnStackUnavailable } from "./support/vpn-stack.ts";

const unavailable = vpnStackUnavailable();
if (unavailable) process.stderr.write(`vpn-failover tests skipped: ${unavailable}\n`);

const { gatewayTunnel } = VPN_ADDRESSES;


const sameMap = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

describe.skipIf(unavailable !== undefined)("our gateway across Core failures", () => {
  let stack: VpnStack;
  let networkId: number;
  let gateway: ServiceProcess;
  let coreA: StackCore;
  let coreB: StackCore;

  const addDevice = async (username: string, core?: StackCore) => {
    expect((await stack.admin("POST", "/user", { username, first_name: "Test", last_name: "User", email: `${username}@example.com` }, core)).status).toBe(201);
    const privateKey = (await run(["wg", "genkey"])).trim();
    const pubkey = (await run(["wg", "pubkey"], { stdin: `${privateKey}\n` })).trim();
    const added = await stack.admin("POST", `/device/${username}`, { name: `${username}-pc`, wireguard_pubkey: pubkey }, core);
    expect(added.status).toBe(201);
    return pubkey;
  };
  const peersMatchDatabase = async () => {
    const expected = await stack.databasePeers(networkId);
    await until(() => stack.gatewayPeers(), (peers) => sameMap(peers, expected));
    return expected;
  };

  beforeAll(async () => {
    stack = await VpnStack.start();
    coreA = stack.cores[0]!;
    const network = await stack.admin("POST", "/network", vpnNetwork("branch"));
    expect(network.status).toBe(201);
    networkId = network.body.id;
    gateway = await stack.startGateway(networkId);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  test("the gateway killed: the Core shows it disconnected; started again, it takes its interface over", async () => {
    const erin = await stack.enroll("erin", networkId);
    await stack.connect(erin);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    await gateway.stop("SIGKILL");
    const gateways = await until(
      () => stack.admin("GET", `/network/${networkId}/gateways`),
      (answer) => answer.body.length === 1 && answer.body[0].connected === false,
    );
    expect(gateways.body[0].disconnected_at).not.toBeNull();
    gateway = await stack.startGateway(networkId);
    expect(gateway.matching(`Interface ${stack.gatewayIfname} already exists; taking it over`).length).toBe(1);
    await stack.lab.waitForPing(stack.laptopNs, gatewayTunnel, true);
    await peersMatchDatabase();
  });

  test("its Core dies and a second Core takes over: what changed meanwhile is there, nothing lost or doubled", async () => {
    coreB = await stack.startCore();
    stack.pointGatewayAt(coreA); // the gateway stays with core A until A dies
    const mark = gateway.lines.length;
    await coreA.process.stop("SIGKILL");
    stack.pointGatewayAt(coreA, true);
    await gateway.waitFor("Disconnected from Defguard gRPC endpoint", { from: mark });
    // While the gateway is away: a device removed, another user disabled, a new device added.
    const [erinDevice] = (await stack.admin("GET", "/device/user/erin", undefined, coreB)).body as { id: number }[];
    expect((await stack.admin("DELETE", `/device/${erinDevice!.id}`, undefined, coreB)).status).toBe(200);
    const gone = await addDevice("fay", coreB);
    expect((await stack.admin("PUT", "/user/fay", { is_active: false }, coreB)).status).toBe(200);
    const added = await addDevice("gus", coreB);
    stack.pointGatewayAt(coreB);
    await gateway.waitFor("Connected to Defguard gRPC endpoint", { from: mark });
    const peers = await peersMatchDatabase();
    expect(peers.has(added)).toBe(true);
    expect(peers.has(gone)).toBe(false);
  });

  test("a device added through another Core reaches the gateway connected to this one (NOTIFY across Cores)", async () => {
    const coreC = await stack.startCore(); // a third process; the gateway stays on core B
    stack.pointGatewayAt(coreB);
    const pubkey = await addDevice("hal", coreC);
    await until(() => stack.gatewayPeers(), (peers) => peers.has(pubkey));
    await peersMatchDatabase();
  });

  test("its Core restarts: the gateway reconnects and its peers are the database's", async () => {
    const mark = gateway.lines.length;
    await coreB.process.stop("SIGTERM");
    const restarted = await stack.startCore();
    await gateway.waitFor("Connected to Defguard gRPC endpoint", { from: mark });
    await addDevice("ida", restarted);
    await peersMatchDatabase();
  });
});
