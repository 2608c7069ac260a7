// The user flows reaching gateways through the real Proxy and Core: a device created by enrollment and a
// device authorized by desktop-client MFA arrive as peer CREATEs; stats make a device connected (and
// audited); MFA authorizations of idle devices expire and the gateway drops them.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { UpdateType } from "../shared/gateway-proto.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { enableCodeMfa, totpNow } from "./support/flow-harness.ts";
import { type GatewayCore, networkBody, newPubkey, startGatewayCore } from "./support/gateway-stack.ts";
import { startTestProxy, type TestProxy } from "./support/in-process-proxy.ts";
import { ProxyClient } from "./support/proxy-client.ts";
import { waitFor } from "./support/test-core.ts";
import { connectTestGateway, type TestGateway, type UpdatesCall } from "./support/test-gateway.ts";

/** MFA expiry is checked this often here (once a minute in production). */
const MAINTENANCE_INTERVAL_MS = 200;

let db: TestDatabase;
let proxy: TestProxy;
let gw: GatewayCore;
const gateways: TestGateway[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startTestProxy();
  gw = await startGatewayCore(db, { DEFGUARD_PROXY_URL: `http://${proxy.target}` }, { vpnMaintenanceIntervalMs: MAINTENANCE_INTERVAL_MS });
  await waitFor(() => gw.lines.some((l) => l.includes("Connected to proxy")), 20_000, "the core's link");
});

afterAll(async () => {
  for (const g of gateways) g.close();
  await gw?.stop();
  await proxy?.stop();
  await db?.cleanup();
});

/** A gateway of `networkId` that has fetched its Config and holds an open Updates stream. */
async function openGateway(networkId: number, hostname: string): Promise<{ gateway: TestGateway; updates: UpdatesCall }> {
  const gateway = connectTestGateway({ target: gw.target, token: await gw.token(networkId), hostname });
  gateways.push(gateway);
  await gateway.config();
  const from = gw.lines.length;
  const updates = gateway.updates();
  await waitFor(() => gw.lines.slice(from).some((l) => l.includes(`Gateway ${hostname} `) && l.includes("updates stream")), 10_000, "the updates stream");
  return { gateway, updates };
}

/** Enrolls `username` through the Proxy's API and adds a device with `pubkey`; returns its configs. */
async function enrollDevice(username: string, pubkey: string) {
  expect((await gw.api("POST", "/user", { username, email: `${username}@example.com`, first_name: "E", last_name: "N" })).status).toBe(201);
  const started = await gw.api("POST", `/user/${username}/start_enrollment`, {});
  expect(started.status).toBe(201);
  const client = new ProxyClient(proxy.url);
  expect((await client.post("/api/v1/enrollment/start", { token: started.body.enrollment_token })).status).toBe(200);
  const created = await client.post("/api/v1/enrollment/create_device", { name: "laptop", pubkey });
  expect(created.status).toBe(200);
  return created.body.configs as { network_id: number; assigned_ip: string }[];
}

describe("flows", () => {
  test("a device created by enrollment reaches the network's gateway as a peer CREATE", async () => {
    const office = (await gw.api("POST", "/network", networkBody("office", "10.40.0.1/24"))).body.id;
    const { updates } = await openGateway(office, "gw-enroll");
    const pubkey = newPubkey();
    const configs = await enrollDevice("erin", pubkey);
    await updates.until((r) => r.some((u) => u.peer?.pubkey === pubkey), "the enrolled device");
    const create = updates.received.find((u) => u.peer?.pubkey === pubkey)!;
    expect(create.update_type).toBe(UpdateType.CREATE);
    expect(create.peer!.allowed_ips).toEqual([configs.find((c) => c.network_id === office)!.assigned_ip.split("/")[0]!]);
    expect(create.peer!.preshared_key).toBeUndefined();
    updates.cancel();
  });

  test("on an MFA location: nothing before desktop-client MFA, CREATE with the returned preshared key after, DELETE once idle past the threshold", async () => {
    const secure = (await gw.api("POST", "/network", networkBody("secure", "10.41.0.1/24", { port: 51841, mfa_mode: "internal", peer_disconnect_threshold: 1 }))).body.id;
    const { gateway, updates } = await openGateway(secure, "gw-mfa");
    const pubkey = newPubkey();
    await enrollDevice("frank", pubkey);
    const [frank] = await db.sql<{ id: number }[]>`SELECT id FROM users WHERE username = 'frank'`;
    const secret = await enableCodeMfa(db.sql, frank!.id);
    expect((await gateway.config()).peers.map((p) => p.pubkey)).not.toContain(pubkey);

    const client = new ProxyClient(proxy.url);
    const started = await client.post("/api/v1/client-mfa/start", { pubkey, location_id: secure, method: 0 });
    expect(started.status).toBe(200);
    const finished = await client.post("/api/v1/client-mfa/finish", { token: started.body.token, code: totpNow(secret) });
    expect(finished.status).toBe(200);
    const psk = finished.body.preshared_key as string;
    await updates.until((r) => r.some((u) => u.peer?.pubkey === pubkey && u.update_type === UpdateType.CREATE), "the authorized device");
    expect(updates.received.find((u) => u.peer?.pubkey === pubkey)!.peer!.preshared_key).toBe(psk);

    // No handshake ever came, and the threshold is 1 s: the authorization expires at a maintenance round.
    await updates.until((r) => r.some((u) => u.peer?.pubkey === pubkey && u.update_type === UpdateType.DELETE), "the expired device");
    const [row] = await db.sql<{ is_authorized: boolean; preshared_key: string | null }[]>`
      SELECT is_authorized, preshared_key FROM network_devices nd JOIN devices d ON d.id = nd.device_id WHERE d.pubkey = ${pubkey} AND nd.network_id = ${secure}`;
    expect(row).toEqual({ is_authorized: false, preshared_key: null });
    expect((await gateway.config()).peers.map((p) => p.pubkey)).not.toContain(pubkey);
    updates.cancel();
  });
});

describe("stats", () => {
  test("stats are stored per device; a recent handshake makes it connected (audited), an old one does not; a lower threshold ends the session", async () => {
    const lab = (await gw.api("POST", "/network", networkBody("stats-lab", "10.42.0.1/24", { port: 51842 }))).body.id;
    const fresh = newPubkey();
    const stale = newPubkey();
    await enrollDevice("gina", fresh);
    await enrollDevice("hank", stale);
    const gateway = connectTestGateway({ target: gw.target, token: await gw.token(lab), hostname: "gw-stats" });
    gateways.push(gateway);
    const nowS = Math.floor(Date.now() / 1000);
    const figures = (public_key: string, latest_handshake: number, upload: number) => ({
      id: 1,
      peer_stats: { public_key, endpoint: "198.18.0.9:40000", upload, download: upload * 2, keepalive_interval: 25, latest_handshake, allowed_ips: "10.42.0.2/32" },
    });
    await gateway.stats([{ id: 0, empty: {} }, figures(fresh, nowS - 20, 5_000_000_000), figures(stale, nowS - 10_000, 10), figures(newPubkey(), nowS, 1)]);

    const devices = (await gw.api("GET", `/network/${lab}/devices`)).body as any[];
    const gina = devices.find((d) => d.pubkey === fresh);
    const hank = devices.find((d) => d.pubkey === stale);
    expect(gina).toMatchObject({ connected: true, endpoint: "198.18.0.9:40000", upload: 5_000_000_000, download: 10_000_000_000 });
    expect(new Date(gina.last_handshake).getTime()).toBe((nowS - 20) * 1000);
    expect(hank).toMatchObject({ connected: false, upload: 10 });
    const [history] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM vpn_stats WHERE network_id = ${lab}`;
    expect(history!.n).toBe(2);

    const connectedEvents = async (event: string) =>
      (await gw.api("GET", `/audit?event=${event}`)).body.filter((e: any) => e.details?.location === "stats-lab");
    let audited: any[] = [];
    await waitForAsync(async () => (audited = await connectedEvents("vpn_client_connected")).length > 0, "the connect audit event");
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ username: "gina", ip_address: "198.18.0.9", details: { device: "laptop", gateway: "gw-stats" } });

    // gina's handshake (20 s old) is now older than the threshold: her session ends at the next round.
    expect((await gw.api("PUT", `/network/${lab}`, networkBody("stats-lab", "10.42.0.1/24", { port: 51842, peer_disconnect_threshold: 10 }))).status).toBe(200);
    await waitForAsync(async () => (await connectedEvents("vpn_client_disconnected")).length === 1, "the disconnect audit event");
    expect(((await gw.api("GET", `/network/${lab}/devices`)).body as any[]).find((d) => d.pubkey === fresh).connected).toBe(false);
  });
});

async function waitForAsync(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}
