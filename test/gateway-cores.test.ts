// The gateway server as deployed: TLS on its port and the fail-fast rules of its settings, no server without
// DEFGUARD_GATEWAY_SECRET, connects and disconnects recorded and audited, and two Cores on one PostgreSQL:
// a change made through one reaches a gateway connected to the other, and a gateway moving between them
// resumes from Config with exactly the database's peers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { loadCoreConfig } from "../core/config.ts";
import { startCore } from "../core/start-core.ts";
import { createLogger } from "../shared/logger.ts";
import { TlsConfigError } from "../shared/tls.ts";
import { UpdateType } from "../shared/gateway-proto.ts";
import { makeCa, makeCert, removeCa, type TestCa, type TestCert } from "./support/certs.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { GATEWAY_SECRET, type GatewayCore, networkBody, newPubkey, startGatewayCore } from "./support/gateway-stack.ts";
import { waitFor } from "./support/test-core.ts";
import { connectTestGateway, type TestGateway } from "./support/test-gateway.ts";

let db: TestDatabase;
let ca: TestCa;
let cert: TestCert;
const cores: GatewayCore[] = [];
const gateways: TestGateway[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  ca = await makeCa();
  cert = await makeCert(ca, { names: ["localhost", "127.0.0.1"] });
});

afterAll(async () => {
  for (const g of gateways) g.close();
  for (const core of cores) await core.stop();
  await db?.cleanup();
  if (ca) removeCa(ca);
});

async function core(env: Record<string, string> = {}): Promise<GatewayCore> {
  const started = await startGatewayCore(db, env);
  cores.push(started);
  return started;
}

function gateway(target: string, token: string | null, hostname: string, credentials?: grpc.ChannelCredentials): TestGateway {
  const g = connectTestGateway({ target, token, hostname, credentials });
  gateways.push(g);
  return g;
}

const quiet = () => createLogger({ level: "error", format: "text", target: "defguard", write: () => {} });

describe("settings", () => {
  test("TLS: a gateway trusting the CA gets its Config; a plaintext one does not", async () => {
    const tlsCore = await core({ DEFGUARD_GRPC_CERT: cert.certPath, DEFGUARD_GRPC_KEY: cert.keyPath });
    expect(tlsCore.core.gateways.server?.tls).toBe(true);
    const network = (await tlsCore.api("POST", "/network", networkBody("tls-net", "10.50.0.1/24"))).body.id;
    const token = await tlsCore.token(network);
    const target = tlsCore.target.replace("127.0.0.1", "localhost");
    const trusted = grpc.credentials.createSsl(Buffer.from(ca.certPem));
    expect((await gateway(target, token, "gw-tls", trusted).config()).name).toBe("tls-net");
    await expect(gateway(tlsCore.target, token, "gw-plain").config()).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    await tlsCore.stop();
  });

  test("a certificate without its key, or a file that is no PEM, stops startup naming the variable", async () => {
    const base = { ...db.env, DEFGUARD_HTTP_PORT: "0", DEFGUARD_GRPC_PORT: "0", DEFGUARD_GATEWAY_SECRET: GATEWAY_SECRET };
    const refusal = (env: Record<string, string>) => startCore(loadCoreConfig({ ...base, ...env }), quiet()).then(() => undefined, (err: unknown) => err);
    const missingKey = await refusal({ DEFGUARD_GRPC_CERT: cert.certPath });
    expect(missingKey).toBeInstanceOf(TlsConfigError);
    expect((missingKey as Error).message).toBe("DEFGUARD_GRPC_KEY: is unset while DEFGUARD_GRPC_CERT is set; set both for TLS, or neither");
    const notPem = await refusal({ DEFGUARD_GRPC_CERT: cert.certPath, DEFGUARD_GRPC_KEY: cert.certPath });
    expect((notPem as Error).message).toBe(`DEFGUARD_GRPC_KEY: ${cert.certPath} is not a PEM private key`);
  });

  test("a short DEFGUARD_GATEWAY_SECRET is refused; without one no gateway server listens, the log says how to set it, and tokens are 400", async () => {
    expect(() => loadCoreConfig({ DEFGUARD_GATEWAY_SECRET: "short" })).toThrow("DEFGUARD_GATEWAY_SECRET: expected a secret of at least 32 characters");
    const off = await core({ DEFGUARD_GATEWAY_SECRET: "" });
    expect(off.core.gateways.server).toBeUndefined();
    expect(off.lines.join("\n")).toContain("DEFGUARD_GATEWAY_SECRET is not set: gateways are refused");
    const network = (await off.api("POST", "/network", networkBody("off-net", "10.51.0.1/24"))).body.id;
    expect(await off.api("GET", `/network/${network}/token`)).toEqual({
      status: 400,
      body: { error: "gateways are off on this core: set DEFGUARD_GATEWAY_SECRET (32 or more characters) and restart it" },
    });
    await off.stop();
  });

  test("DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: 20 s by default, any positive duration; zero or words are refused", () => {
    expect(loadCoreConfig({}).gateway.heartbeatS).toBe(20);
    expect(loadCoreConfig({ DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: "1s" }).gateway.heartbeatS).toBe(1);
    expect(loadCoreConfig({ DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: "2m" }).gateway.heartbeatS).toBe(120);
    for (const bad of ["0", "soon", "-5s"]) {
      expect(() => loadCoreConfig({ DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: bad })).toThrow("DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: expected a duration such as 600, 10m or 24h");
    }
  });
});

describe("connections", () => {
  test("a gateway's connect and disconnect are recorded, listed and audited; health and the list count it", async () => {
    const c = await core({ DEFGUARD_METRICS_PORT: "0" });
    const network = (await c.api("POST", "/network", networkBody("conn-net", "10.52.0.1/24"))).body.id;
    const g = gateway(c.target, await c.token(network), "gw-conn");
    await g.config("edge");
    const updates = g.updates();
    await waitFor(() => c.core.gateways.counts?.().connected === 1, 10_000, "the stream");
    // connected_all_cores counts other tests' gateways too: test/gateway-stale.test.ts pins it.
    expect((await c.api("GET", "/health")).body.gateways).toMatchObject({ connected: 1, peers: 0 });
    const metrics = await (await fetch(`http://127.0.0.1:${c.core.metricsPort}/metrics`)).text();
    expect(metrics).toContain("defguard_core_gateways_connected 1");
    expect(metrics).toContain("defguard_core_gateway_peers 0");
    expect(metrics).toContain("defguard_core_vpn_clients_connected 0");
    updates.cancel();
    await waitFor(() => c.core.gateways.counts?.().connected === 0, 10_000, "the stream's end");
    await waitForAsync(async () => (await c.api("GET", `/network/${network}/gateways`)).body[0]?.connected === false, "the disconnect record");
    const [listed] = (await c.api("GET", `/network/${network}/gateways`)).body;
    expect(listed).toMatchObject({ hostname: "gw-conn", name: "edge", version: "1.6.0", connected: false });
    expect(listed.address).toStartWith("127.0.0.1:");
    expect(new Date(listed.disconnected_at).getTime()).toBeGreaterThanOrEqual(new Date(listed.connected_at).getTime());
    await waitForAsync(async () => {
      const events = (await c.api("GET", "/audit?limit=50")).body.filter((e: any) => e.details?.gateway === "gw-conn").map((e: any) => e.event);
      return events.includes("gateway_connected") && events.includes("gateway_disconnected");
    }, "the audit events");
    await c.stop();
  });
});

describe("two cores on one PostgreSQL", () => {
  test("a device created through core A reaches a gateway on core B; moving to core A, the gateway resumes with exactly the database's peers", async () => {
    if (db.kind !== "postgres") {
      console.warn("skipped: two cores need PostgreSQL (the embedded database serves one core)");
      return;
    }
    const a = await core();
    const b = await core();
    const network = (await a.api("POST", "/network", networkBody("shared", "10.53.0.1/24"))).body.id;
    expect((await a.api("POST", "/user", { username: "ivan", email: "ivan@example.com", first_name: "I", last_name: "V" })).status).toBe(201);
    const token = await a.token(network);
    const onB = gateway(b.target, token, "gw-shared");
    await onB.config();
    const updates = onB.updates();
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the stream on core B");

    const pubkey = newPubkey();
    const added = await a.api("POST", "/device/ivan", { name: "phone", wireguard_pubkey: pubkey });
    expect(added.status).toBe(201);
    await updates.until((r) => r.some((u) => u.peer?.pubkey === pubkey && u.update_type === UpdateType.CREATE), "the device through core B");
    const second = newPubkey();
    expect((await a.api("POST", "/device/ivan", { name: "tablet", wireguard_pubkey: second })).status).toBe(201);

    // Core B goes away; the gateway reconnects to core A and starts from Config.
    updates.cancel();
    await b.stop();
    const onA = gateway(a.target, token, "gw-shared");
    const config = await onA.config();
    const inDatabase = await db.sql<{ pubkey: string }[]>`
      SELECT d.pubkey FROM network_devices nd JOIN devices d ON d.id = nd.device_id WHERE nd.network_id = ${network} ORDER BY d.id`;
    expect(config.peers.map((p) => p.pubkey)).toEqual(inDatabase.map((r) => r.pubkey));
    expect(config.peers.map((p) => p.pubkey)).toEqual([pubkey, second]);
  });
});

async function waitForAsync(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}
