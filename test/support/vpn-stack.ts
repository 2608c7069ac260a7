// Everything a real-tunnel test runs: PostgreSQL, the Proxy and Cores as processes on the host's loopback,
// the gateway agent inside the "gateway" namespace, and a laptop enrolled through the Proxy's API. The
// gateway reaches the Core through two relays (namespace TCP → unix socket → host loopback), so nothing
// binds outside loopback; the host side follows whichever Core the test points it at.
//
//   const stack = await VpnStack.start();   // namespaces, proxy, one core, an admin session
//   const network = await stack.addNetwork({...}); const gateway = await stack.startGateway(network.id);
//   const laptop = await stack.enroll("alice", network.id); ... ; await stack.stop();
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { run } from "../../gateway/command.ts";
import { type TestDatabase, createTestDatabase } from "./database.ts";
import { HostRelay } from "./host-relay.ts";
import { adminCall, adminLogin, type AdminHttpAnswer } from "./multi-stack.ts";
import { NetnsLab, netnsUnavailable } from "./netns.ts";
import { ProxyClient } from "./proxy-client.ts";
import { type ChildEnv, type ProxyProcess, type ServiceProcess, portFrom, spawnService, startProxyProcess } from "./services.ts";
import { VPN_ADDRESSES, makeVpnTopology } from "./vpn-topology.ts";
import { type ClientConfig, bringUpClient, parseClientConfig } from "./wg-client.ts";

export const GATEWAY_SECRET = "vpn-test-gateway-secret-of-at-least-32-characters";
const AUTH_SECRET = "vpn-test-auth-secret-of-at-least-32-characters!";
/** The Core's gRPC port as the gateway sees it inside its namespace (the relay's end there). */
const GATEWAY_SIDE_PORT = 50055;
const USER_PASSWORD = "Str0ng-enough-password!";

export interface StackCore {
  process: ServiceProcess;
  adminUrl: string;
  grpcPort: number;
}

export interface Laptop {
  username: string;
  pubkey: string;
  privateKey: string;
  config: ClientConfig;
  /** The interface in the laptop namespace, once brought up. */
  ifname: string;
}

/** A network served by the gateway in the topology: endpoint its veth, the tunnel and the host behind routed. */
export function vpnNetwork(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    address: [`${VPN_ADDRESSES.gatewayTunnel}/24`],
    port: 51820,
    endpoint: VPN_ADDRESSES.gatewayVeth,
    allowed_ips: ["100.64.0.0/24", VPN_ADDRESSES.behindSubnet],
    keepalive_interval: 1,
    ...extra,
  };
}

/** Polls `read` until `done` says yes; throws with the last value after `timeoutMs` (no time is asserted). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (performance.now() > deadline) throw new Error(`gave up waiting; last: ${JSON.stringify(value instanceof Map ? [...value] : value)}`);
    await Bun.sleep(200);
  }
}

/** Why a VpnStack cannot run here (no namespaces, or the embedded database forced), or undefined. */
export function vpnStackUnavailable(): string | undefined {
  if (process.env.DEFGUARD_TEST_DATABASE === "embedded") return "DEFGUARD_TEST_DATABASE=embedded: these tests run several Cores on PostgreSQL";
  return netnsUnavailable();
}

export class VpnStack {
  readonly lab = new NetnsLab();
  readonly cores: StackCore[] = [];
  gwNs = "";
  laptopNs = "";
  cookie = "";
  private readonly started: ServiceProcess[] = [];
  private relay: HostRelay | undefined;
  private laptops = 0;

  private constructor(
    readonly db: TestDatabase,
    readonly proxy: ProxyProcess,
  ) {}

  /** Namespaces, relays, the proxy and one Core; the admin logged in. Stops what it started on failure. */
  static async start(coreEnv: ChildEnv = {}): Promise<VpnStack> {
    const db = await createTestDatabase();
    if (db.kind !== "postgres") {
      await db.cleanup();
      throw new Error("the real-tunnel tests need PostgreSQL on 127.0.0.1:5432");
    }
    const proxy = await startProxyProcess({ DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0" });
    const stack = new VpnStack(db, proxy);
    stack.started.push(proxy);
    try {
      ({ gwNs: stack.gwNs, laptopNs: stack.laptopNs } = await makeVpnTopology(stack.lab));
      await stack.startRelays();
      await stack.startCore(coreEnv);
      stack.cookie = await adminLogin(stack.adminUrl);
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  get adminUrl(): string {
    return this.cores.find((c) => c.process.running)!.adminUrl;
  }

  private async startRelays(): Promise<void> {
    this.relay = new HostRelay(`/tmp/dg-${this.lab.id}-${randomBytes(3).toString("hex")}.sock`);
    await this.relay.listen();
    const inside = this.lab.spawn("relay", this.gwNs, [process.execPath, "test/support/ns-relay.ts", `tcp:127.0.0.1:${GATEWAY_SIDE_PORT}`, `unix:${this.relay.path}`]);
    await inside.waitFor("relay listening");
  }

  /** Starts a Core on the same database; the gateway's relay points at it. */
  async startCore(env: ChildEnv = {}): Promise<StackCore> {
    const process = spawnService(`core ${this.cores.length + 1}`, "core/main.ts", {
      ...this.db.env,
      DEFGUARD_PROXY_URL: `http://127.0.0.1:${this.proxy.grpcPort}`,
      DEFGUARD_AUTH_SECRET: AUTH_SECRET,
      DEFGUARD_GATEWAY_SECRET: GATEWAY_SECRET,
      DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_GRPC_PORT: "0",
      DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_HTTP_PORT: "0",
      DEFGUARD_ENROLLMENT_URL: `http://127.0.0.1:${this.proxy.httpPort}`,
      ...env,
    });
    this.started.push(process);
    const adminUrl = `http://127.0.0.1:${portFrom(await process.waitFor("Admin API listening on"))}`;
    const grpcPort = portFrom(await process.waitFor("Gateway gRPC server is listening on"));
    const core = { process, adminUrl, grpcPort };
    this.cores.push(core);
    this.pointGatewayAt(core);
    return core;
  }

  /** New gateway connections go to `core`; open ones are cut when `cut` (as if the old Core died). */
  pointGatewayAt(core: StackCore, cut = false): void {
    this.relay!.target = core.grpcPort;
    if (cut) this.relay!.cutAll();
  }

  /** An admin API call on the first running Core, or on `core`. */
  admin(method: string, path: string, body?: unknown, core?: StackCore): Promise<AdminHttpAnswer> {
    return adminCall(core?.adminUrl ?? this.adminUrl, this.cookie, method, `/api/v1${path}`, body);
  }

  /**
   * The peers the database says network `networkId` has (devices with an address there, of active users;
   * no MFA here), as gatewayPeers() shows them: public key → `address/32`, sorted.
   */
  async databasePeers(networkId: number): Promise<Map<string, string>> {
    const rows = await this.db.sql<{ pubkey: string; addresses: string[] }[]>`
      SELECT d.pubkey, array_agg(host(a.address) || '/' || CASE WHEN family(a.address) = 4 THEN '32' ELSE '128' END ORDER BY a.address) AS addresses
      FROM devices d JOIN users u ON u.id = d.user_id
      JOIN network_device_addresses a ON a.device_id = d.id AND a.network_id = ${networkId}
      WHERE u.is_active GROUP BY d.pubkey`;
    return new Map(rows.map((r) => [r.pubkey, [...r.addresses].sort().join(",")]));
  }

  /** Starts the gateway agent in the gateway namespace with the network's token; stats every second. */
  async startGateway(networkId: number, env: ChildEnv = {}): Promise<ServiceProcess> {
    const answer = await this.admin("GET", `/network/${networkId}/token`);
    if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.body)}`);
    const gateway = this.lab.spawn("gateway", this.gwNs, [process.execPath, "gateway/main.ts"], {
      DEFGUARD_TOKEN: answer.body.token,
      DEFGUARD_GRPC_URL: `http://127.0.0.1:${GATEWAY_SIDE_PORT}`,
      DEFGUARD_IFNAME: this.gatewayIfname,
      DEFGUARD_STATS_PERIOD: "1",
      DEFGUARD_GATEWAY_NAME: "test gateway",
      ...env,
    });
    await gateway.waitFor("Connected to Defguard gRPC endpoint");
    return gateway;
  }

  get gatewayIfname(): string {
    return this.lab.name("wg");
  }

  /** The gateway interface's peers as `wg` shows them: public key → allowed IPs, sorted. */
  async gatewayPeers(): Promise<Map<string, string>> {
    const out = await this.lab.exec(this.gwNs, ["wg", "show", this.gatewayIfname, "allowed-ips"]);
    return new Map(
      out
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [key, ...ips] = line.split(/\s+/);
          return [key!, ips.filter((ip) => ip !== "(none)").sort().join(",")];
        }),
    );
  }

  /**
   * A new user enrolled through the Proxy's API: the device's downloaded config for `networkId` with its
   * private key filled in. `beforeActivation` runs inside the enrollment session (e.g. MFA setup).
   */
  async enroll(username: string, networkId: number, beforeActivation?: (browser: ProxyClient) => Promise<void>): Promise<Laptop> {
    const user = await this.admin("POST", "/user", { username, first_name: "Test", last_name: "User", email: `${username}@example.com` });
    if (user.status !== 201) throw new Error(`user: ${user.status} ${JSON.stringify(user.body)}`);
    const started = await this.admin("POST", `/user/${username}/start_enrollment`, {});
    const browser = new ProxyClient(`http://127.0.0.1:${this.proxy.httpPort}`);
    const start = await browser.post("/api/v1/enrollment/start", { token: started.body.enrollment_token });
    if (start.status !== 200) throw new Error(`enrollment start: ${start.status} ${JSON.stringify(start.body)}`);
    const privateKey = (await run(["wg", "genkey"])).trim();
    const pubkey = (await run(["wg", "pubkey"], { stdin: `${privateKey}\n` })).trim();
    const device = await browser.post("/api/v1/enrollment/create_device", { name: `${username}-laptop`, pubkey });
    if (device.status !== 200) throw new Error(`create_device: ${device.status} ${JSON.stringify(device.body)}`);
    const downloaded = (device.body.configs as { network_id: number; config: string }[]).find((c) => c.network_id === networkId);
    if (!downloaded) throw new Error(`no configuration for network ${networkId}: ${JSON.stringify(device.body.configs)}`);
    const text = downloaded.config.replace("YOUR_PRIVATE_KEY", privateKey);
    await beforeActivation?.(browser);
    const activated = await browser.post("/api/v1/enrollment/activate_user", { password: USER_PASSWORD });
    if (activated.status !== 200) throw new Error(`activate_user: ${activated.status} ${JSON.stringify(activated.body)}`);
    return { username, pubkey, privateKey, config: parseClientConfig(text), ifname: this.lab.name(`l${this.laptops++}`) };
  }

  /** Brings the laptop's configuration up in the laptop namespace. */
  async connect(laptop: Laptop): Promise<void> {
    await bringUpClient(this.lab, this.laptopNs, laptop.ifname, laptop.config);
  }

  async stop(): Promise<void> {
    await this.lab.cleanup();
    await Promise.all(this.started.map((p) => p.stop("SIGKILL")));
    await this.relay?.close();
    if (this.relay) rmSync(this.relay.path, { force: true });
    await this.db.cleanup();
  }
}
