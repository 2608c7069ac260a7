// The Core's gateway service over real gRPC with a real grpc-js client as the gateway: tokens, Config,
// and each kind of Update reaching the gateways of its network and no other.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { UpdateType } from "../shared/gateway-proto.ts";
import { COMPONENT_VERSION } from "../shared/version.ts";
import { createGatewayTokens } from "../core/gateway/gateway-tokens.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { GATEWAY_SECRET, type GatewayCore, networkBody, newPubkey, startGatewayCore } from "./support/gateway-stack.ts";
import { connectTestGateway, type TestGateway } from "./support/test-gateway.ts";
import { waitFor } from "./support/test-core.ts";

let db: TestDatabase;
let gw: GatewayCore;
let office: number;
let lab: number;
const gateways: TestGateway[] = [];

function gateway(token: string | null, options: { hostname?: string | null; version?: string | null } = {}): TestGateway {
  const g = connectTestGateway({ target: gw.target, token, ...options });
  gateways.push(g);
  return g;
}

async function addUser(username: string) {
  const res = await gw.api("POST", "/user", { username, email: `${username}@example.com`, first_name: "T", last_name: "U", password: "Passw0rd!x" });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

async function addDevice(username: string, pubkey = newPubkey()) {
  const res = await gw.api("POST", `/device/${username}`, { name: `dev-${pubkey.slice(0, 6)}`, wireguard_pubkey: pubkey });
  expect(res.status).toBe(201);
  return { id: res.body.id as number, pubkey, networks: res.body.networks as { network_id: number; addresses: string[] }[] };
}

beforeAll(async () => {
  db = await createTestDatabase();
  gw = await startGatewayCore(db);
  office = (await gw.api("POST", "/network", networkBody("office", "10.10.0.1/24"))).body.id;
  lab = (await gw.api("POST", "/network", networkBody("lab", "10.20.0.1/24", { allowed_groups: ["admin"], port: 51821 }))).body.id;
});

afterAll(async () => {
  for (const g of gateways) g.close();
  await gw?.stop();
  await db?.cleanup();
});

describe("tokens", () => {
  test("GET /network/{id}/token answers a token and DEFGUARD_GRPC_URL; 404 for an unknown network", async () => {
    const res = await gw.api("GET", `/network/${office}/token`);
    expect(res.status).toBe(200);
    expect(res.body.grpc_url).toBe("http://gateway-core.example.com:50055");
    const claims = JSON.parse(Buffer.from(res.body.token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ iss: "DefGuard", sub: `DEFGUARD-NETWORK-${office}`, client_id: String(office) });
    expect(claims.exp - claims.nbf).toBe(4_294_967_295);
    expect(await gw.api("GET", "/network/999999/token")).toEqual({ status: 404, body: { error: "network 999999 not found" } });
  });

  test("a missing token is UNAUTHENTICATED 'Missing authorization header'", async () => {
    await expect(gateway(null).config()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: "Missing authorization header" });
  });

  test("a wrong, expired or foreign-secret token is UNAUTHENTICATED 'Invalid token', logged with the hostname and never the token", async () => {
    const expired = await createGatewayTokens(GATEWAY_SECRET).sign(office, { nowS: Math.floor(Date.now() / 1000) - 100, ttlS: 10 });
    const foreign = await createGatewayTokens("another-secret-of-at-least-32-characters!").sign(office);
    for (const token of ["garbage", expired, foreign]) {
      const from = gw.lines.length;
      await expect(gateway(token, { hostname: "intruder-host" }).config()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: "Invalid token" });
      const logged = gw.lines.slice(from).join("\n");
      expect(logged).toContain("intruder-host");
      expect(logged).not.toContain(token);
    }
  });

  test("Updates and Stats refuse a bad token as Config does", async () => {
    await expect(gateway(null).stats([{ id: 1, empty: {} }])).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: "Missing authorization header" });
    const updates = gateway("garbage").updates();
    expect(await updates.status).toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: "Invalid token" });
  });

  test("the token decides the network: a token for lab gets lab's configuration, not office's", async () => {
    const config = await gateway(await gw.token(lab)).config();
    expect(config.name).toBe("lab");
    expect(config.port).toBe(51821);
  });

  test("a gateway older than 1.5.0, or without version, is FAILED_PRECONDITION", async () => {
    const token = await gw.token(office);
    await expect(gateway(token, { version: "1.4.9" }).config()).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: "Version 1.4.9 not supported" });
    await expect(gateway(token, { version: null }).config()).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: "Missing version headers" });
    await expect(gateway(token, { version: "1.5.0" }).config()).resolves.toMatchObject({ name: "office" });
  });

  test("a valid token without hostname metadata is INVALID_ARGUMENT", async () => {
    await expect(gateway(await gw.token(office), { hostname: null }).config()).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "Gateway hostname not found in request metadata",
    });
  });

  test("a token of a deleted network is NOT_FOUND", async () => {
    const gone = (await gw.api("POST", "/network", networkBody("gone", "10.30.0.1/24", { port: 51830 }))).body.id;
    const token = await gw.token(gone);
    expect((await gw.api("DELETE", `/network/${gone}`)).status).toBe(200);
    await expect(gateway(token).config()).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: `Network with id ${gone} not found` });
  });
});

describe("Config", () => {
  test("answers the network's key, port, addresses and every allowed peer, and records the gateway", async () => {
    await addUser("carol");
    const device = await addDevice("carol");
    const g = gateway(await gw.token(office), { hostname: "gw-office-1" });
    const config = await g.config("edge-1");
    // A Defguard gateway exits unless the Core names a version of at least 1.5.0 in these headers.
    expect(g.configHeaders?.get("defguard-component-version")).toEqual([COMPONENT_VERSION]);
    expect(String(g.configHeaders?.get("defguard-component-system")[0])).toMatch(/^[^;]+;[^;]+;[^;]+$/);
    expect(config).toMatchObject({ name: "office", port: 51820, addresses: ["10.10.0.1/24"] });
    expect(config.prvkey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(config.peers).toContainEqual({ pubkey: device.pubkey, allowed_ips: device.networks.find((n) => n.network_id === office)!.addresses, keepalive_interval: 25, _keepalive_interval: "keepalive_interval" });
    // carol is not in `admin`: lab does not allow her.
    expect((await gateway(await gw.token(lab)).config()).peers.map((p) => p.pubkey)).not.toContain(device.pubkey);
    const listed = await gw.api("GET", `/network/${office}/gateways`);
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(expect.objectContaining({ hostname: "gw-office-1", name: "edge-1", version: "1.6.0", connected: true, disconnected_at: null }));
  });
});

describe("Updates", () => {
  test("each change reaches the gateways of its network, and nothing reaches another network's", async () => {
    const officeGw = gateway(await gw.token(office), { hostname: "gw-o" });
    const labGw = gateway(await gw.token(lab), { hostname: "gw-l" });
    await officeGw.config();
    await labGw.config();
    const from = gw.lines.length;
    const officeUpdates = officeGw.updates();
    const labUpdates = labGw.updates();
    await waitFor(() => gw.lines.slice(from).filter((l) => l.includes("connected to the updates stream")).length === 2, 10_000, "both streams open");

    await addUser("dave");
    const device = await addDevice("dave");
    const ip = device.networks.find((n) => n.network_id === office)!.addresses;
    await officeUpdates.until((r) => r.some((u) => u.peer?.pubkey === device.pubkey), "CREATE of dave's device");
    expect(officeUpdates.received.at(-1)).toMatchObject({ update_type: UpdateType.CREATE, peer: { pubkey: device.pubkey, allowed_ips: ip } });

    // disabled → DELETE; enabled again → CREATE
    expect((await gw.api("PUT", "/user/dave", { is_active: false })).status).toBe(200);
    await officeUpdates.until((r) => r.at(-1)?.update_type === UpdateType.DELETE, "DELETE on disable");
    expect(officeUpdates.received.at(-1)).toMatchObject({ update_type: UpdateType.DELETE, peer: { pubkey: device.pubkey, allowed_ips: [] } });
    expect((await gw.api("PUT", "/user/dave", { is_active: true })).status).toBe(200);
    await officeUpdates.until((r) => r.at(-1)?.update_type === UpdateType.CREATE, "CREATE on enable");

    // joining `admin` lets dave's device into lab: CREATE there only
    const before = officeUpdates.received.length;
    expect((await gw.api("POST", "/group/admin/user/dave")).status).toBe(200);
    await labUpdates.until((r) => r.some((u) => u.peer?.pubkey === device.pubkey && u.update_type === UpdateType.CREATE), "CREATE in lab");
    expect((await gw.api("DELETE", "/group/admin/user/dave")).status).toBe(200);
    await labUpdates.until((r) => r.at(-1)?.update_type === UpdateType.DELETE && r.at(-1)?.peer?.pubkey === device.pubkey, "DELETE in lab");

    // network change readdressing → network MODIFY with the full peer list, to office only
    const labBefore = labUpdates.received.length;
    expect((await gw.api("PUT", `/network/${office}`, networkBody("office", "10.11.0.1/24"))).status).toBe(200);
    await officeUpdates.until((r) => r.some((u) => u.network && u.update_type === UpdateType.MODIFY), "network MODIFY");
    const modify = officeUpdates.received.find((u) => u.network)!;
    expect(modify.network).toMatchObject({ name: "office", addresses: ["10.11.0.1/24"], port: 51820 });
    expect(modify.network!.peers.find((p) => p.pubkey === device.pubkey)!.allowed_ips[0]).toStartWith("10.11.0.");

    // device deleted → DELETE
    expect((await gw.api("DELETE", `/device/${device.id}`)).status).toBe(200);
    await officeUpdates.until((r) => r.at(-1)?.update_type === UpdateType.DELETE && r.at(-1)?.peer?.pubkey === device.pubkey, "DELETE on device removal");
    expect(officeUpdates.received.length).toBeGreaterThan(before);
    expect(labUpdates.received.slice(labBefore)).toEqual([]);

    // user deleted → DELETE of each of their devices
    await addUser("erik");
    const eriks = await addDevice("erik");
    await officeUpdates.until((r) => r.at(-1)?.peer?.pubkey === eriks.pubkey, "CREATE of erik's device");
    expect((await gw.api("DELETE", "/user/erik")).status).toBe(200);
    await officeUpdates.until((r) => r.at(-1)?.update_type === UpdateType.DELETE && r.at(-1)?.peer?.pubkey === eriks.pubkey, "DELETE on user removal");

    // network deleted → network DELETE
    expect((await gw.api("DELETE", `/network/${lab}`)).status).toBe(200);
    await labUpdates.until((r) => r.some((u) => u.network?.name === "lab" && u.update_type === UpdateType.DELETE), "network DELETE");
    officeUpdates.cancel();
    labUpdates.cancel();
  });

  test("a deleted group takes its members' devices off the networks only it opened to them", async () => {
    expect((await gw.api("POST", "/group", { name: "ops" })).status).toBe(201);
    const opsNet = (await gw.api("POST", "/network", networkBody("ops-net", "10.70.0.1/24", { port: 51870, allowed_groups: ["ops", "admin"] }))).body.id;
    await addUser("olga");
    expect((await gw.api("POST", "/group/ops/user/olga")).status).toBe(200);
    const device = await addDevice("olga");
    const g = gateway(await gw.token(opsNet), { hostname: "gw-ops" });
    expect((await g.config()).peers.map((p) => p.pubkey)).toContain(device.pubkey);
    const from = gw.lines.length;
    const updates = g.updates();
    await waitFor(() => gw.lines.slice(from).some((l) => l.includes("Gateway gw-ops ")), 10_000, "the stream");
    expect((await gw.api("DELETE", "/group/ops")).status).toBe(200);
    await updates.until((r) => r.some((u) => u.update_type === UpdateType.DELETE && u.peer?.pubkey === device.pubkey), "DELETE on group deletion");
    updates.cancel();
  });
});
