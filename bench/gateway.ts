// The gateway section of the bench (`bun run bench --only gateway`; root, PostgreSQL): our gateway agent in a
// network namespace with wireguard-go, two Cores on one database. Measures (1) an admin's device addition to
// the peer applied on the gateway's interface, with the gateway on the same Core and across Cores; (2) Config
// for a network of many devices, and the agent applying it; (3) the Stats of that many peers, round after
// round as every stats period; and, for context, `wg setconf` with the same peers.
import { loadavg } from "node:os";
import { logLineTime } from "./machine.ts";
import { netnsUnavailable } from "../test/support/netns.ts";
import { VpnStack, type StackCore, until, vpnNetwork } from "../test/support/vpn-stack.ts";
import type { ServiceProcess } from "../test/support/services.ts";
import { type ConfigTiming, type StatsRound, addBulkDevices, randomKey, sendStatsRounds, timeConfig, timeWgSetconf } from "./gateway-load.ts";

/** Defguard's stats period; debug logs say when each update arrived. */
const GATEWAY_ENV = { DEFGUARD_STATS_PERIOD: "30", DEFGUARD_LOG_LEVEL: "debug" };
/** Additions made before the timed ones, in each case. */
const WARMUP_ADDITIONS = 5;

export interface GatewayBenchOptions {
  /** Device additions timed per case (one Core, across Cores). */
  samples: number;
  /** Devices of the big network. */
  devices: number;
  /** Stats rounds of `devices` peers. */
  rounds: number;
  /** Config calls timed on the big network. */
  configCalls: number;
}

export interface GatewayBenchReport {
  samples: number;
  devices: number;
  /** Admin action → update received and peer applied on the gateway: the gateway on the Core that took the action, and on another. */
  additions: { oneCore: AdditionTiming[]; acrossCores: AdditionTiming[] };
  config: ConfigTiming;
  /** From the agent dialling to its interface holding every peer (fresh interface), ms. */
  agentApplyMs: number;
  wgSetconfMs: number;
  stats: StatsRound[];
  /** Peers in each stats round. */
  statsPeers: number;
  /** 1-minute load average before and after the run: other work on the machine shows in the tails. */
  loadAverage: { before: number; after: number };
}

/** One addition: ms from the admin's request to the gateway receiving the update, and to it applied. */
export interface AdditionTiming {
  receivedMs: number;
  appliedMs: number;
}

/** Adds one device through `core`'s admin API and times it from the gateway's log (debug level). */
async function timeOneAddition(stack: VpnStack, core: StackCore, gateway: ServiceProcess, username: string, n: number): Promise<AdditionTiming> {
  const pubkey = randomKey();
  const mark = gateway.lines.length;
  const sent = performance.timeOrigin + performance.now();
  const answer = await stack.admin("POST", `/device/${username}`, { name: `d${n}`, wireguard_pubkey: pubkey }, core);
  if (answer.status !== 201) throw new Error(`device add: ${answer.status} ${JSON.stringify(answer.body)}`);
  const applied = logLineTime(await gateway.waitFor(`Applied update of peer ${pubkey}`, { from: mark }));
  const received = logLineTime(await gateway.waitFor(`Received update of peer ${pubkey}`, { from: mark }));
  return { receivedMs: received - sent, appliedMs: applied - sent };
}

async function timeAdditions(stack: VpnStack, core: StackCore, gateway: ServiceProcess, username: string, samples: number): Promise<AdditionTiming[]> {
  expect201(await stack.admin("POST", "/user", { username, first_name: "Bench", last_name: "User", email: `${username}@example.com` }));
  // The first additions warm the admin API's statements and the JIT up; they are not counted.
  for (let i = 0; i < WARMUP_ADDITIONS; i++) await timeOneAddition(stack, core, gateway, username, samples + i);
  const times: AdditionTiming[] = [];
  for (let i = 0; i < samples; i++) times.push(await timeOneAddition(stack, core, gateway, username, i));
  return times;
}

function expect201(answer: { status: number; body: unknown }): void {
  if (answer.status !== 201) throw new Error(`expected 201, got ${answer.status} ${JSON.stringify(answer.body)}`);
}

export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchReport> {
  const unavailable = netnsUnavailable();
  if (unavailable) throw new Error(`the gateway bench needs network namespaces: ${unavailable}`);
  const loadBefore = loadavg()[0]!;
  const stack = await VpnStack.start();
  try {
    const coreA = stack.cores[0]!;
    const coreB = await stack.startCore();
    stack.pointGatewayAt(coreA);
    expect201(await stack.admin("POST", "/network", vpnNetwork("bench", { address: ["100.64.0.1/18"], allowed_ips: ["100.64.0.0/18"] })));
    const [network] = await stack.db.sql<{ id: number }[]>`SELECT id FROM networks WHERE name = 'bench'`;
    const networkId = network!.id;
    const settings = await stack.admin("PATCH", "/settings", { max_devices_per_user: 1000 });
    if (settings.status !== 200) throw new Error(`settings: ${settings.status} ${JSON.stringify(settings.body)}`);
    let gateway = await stack.startGateway(networkId, GATEWAY_ENV);

    process.stderr.write(`gateway bench: ${options.samples} device additions on the gateway's Core, then on another\n`);
    const oneCore = await timeAdditions(stack, coreA, gateway, "bench-a", options.samples);
    const acrossCores = await timeAdditions(stack, coreB, gateway, "bench-b", options.samples);

    process.stderr.write(`gateway bench: a network of ${options.devices} devices\n`);
    const [bulkUser] = await stack.db.sql<{ id: number }[]>`
      INSERT INTO users (username, email, first_name, last_name) VALUES ('bench-bulk', 'bench-bulk@example.com', 'Bench', 'Bulk') RETURNING id`;
    const keys = await addBulkDevices(stack.db.sql, networkId, bulkUser!.id, options.devices - 2 * (options.samples + WARMUP_ADDITIONS), "100.64.0.0", 1_000);
    const token = (await stack.admin("GET", `/network/${networkId}/token`)).body.token as string;
    const config = await timeConfig(coreA.grpcPort, token, coreA.process.process.pid, options.configCalls);

    // The agent from a fresh interface: stopped (it removes its interface), started again.
    await gateway.stop("SIGTERM");
    gateway = await stack.startGateway(networkId, GATEWAY_ENV);
    const dialled = logLineTime(gateway.matching("Connecting to Defguard gRPC endpoint")[0]!);
    const configured = logLineTime(await gateway.waitFor(/Configured interface .* \d+ peers/));
    await until(() => stack.gatewayPeers(), (peers) => peers.size === config.peers, 60_000);
    const wgSetconfMs = await timeWgSetconf(
      stack.lab,
      stack.gwNs,
      [...(await stack.gatewayPeers())].map(([pubkey, ips]) => ({ pubkey, allowedIps: ips.split(",") })),
    );

    process.stderr.write(`gateway bench: ${options.rounds} stats rounds of ${keys.length} peers\n`);
    const stats = await sendStatsRounds(stack.db.sql, coreA.grpcPort, token, coreA.process.process.pid, networkId, keys, options.rounds);
    return {
      samples: options.samples,
      devices: config.peers,
      additions: { oneCore, acrossCores },
      config,
      agentApplyMs: configured - dialled,
      wgSetconfMs,
      stats,
      statsPeers: keys.length,
      loadAverage: { before: loadBefore, after: loadavg()[0]! },
    };
  } finally {
    await stack.stop();
  }
}
