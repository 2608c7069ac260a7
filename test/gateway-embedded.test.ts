// The gateway service on the embedded PGlite (one Core, events in-process): Config, an update at once,
// stats stored and the device connected.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { UpdateType } from "../shared/gateway-proto.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GatewayCore, networkBody, newPubkey, startGatewayCore } from "./support/gateway-stack.ts";
import { waitFor } from "./support/test-core.ts";
import { connectTestGateway, type TestGateway } from "./support/test-gateway.ts";

// The Core opens (and migrates) the embedded database itself: one PGlite start, not two.
const dataDir = mkdtempSync(join(tmpdir(), "dg-test-gateway-pglite-"));
let gw: GatewayCore;
let gateway: TestGateway | undefined;

// PGlite starts and migrates in seconds on an idle machine, in a minute on a loaded one.
beforeAll(async () => {
  gw = await startGatewayCore({ env: { DEFGUARD_DATA_DIR: dataDir }, kind: "embedded", close: async () => {} });
}, 180_000);

afterAll(async () => {
  gateway?.close();
  await gw?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("on PGlite: Config, a device added and removed reach the gateway, and its stats make it connected", async () => {
  expect(gw.core.db.kind).toBe("embedded");
  const network = (await gw.api("POST", "/network", networkBody("pglite-net", "10.60.0.1/24"))).body.id;
  expect((await gw.api("POST", "/user", { username: "jane", email: "jane@example.com", first_name: "J", last_name: "A" })).status).toBe(201);
  gateway = connectTestGateway({ target: gw.target, token: await gw.token(network), hostname: "gw-pglite" });
  expect((await gateway.config()).peers).toEqual([]);
  const updates = gateway.updates();
  await waitFor(() => gw.core.gateways.counts?.().connected === 1, 10_000, "the stream");

  const pubkey = newPubkey();
  const added = await gw.api("POST", "/device/jane", { name: "laptop", wireguard_pubkey: pubkey });
  expect(added.status).toBe(201);
  await updates.until((r) => r.some((u) => u.peer?.pubkey === pubkey), "the CREATE");
  expect(updates.received[0]).toMatchObject({ update_type: UpdateType.CREATE, peer: { pubkey, allowed_ips: ["10.60.0.2"] } });

  const nowS = Math.floor(Date.now() / 1000);
  await gateway.stats([{ id: 1, peer_stats: { public_key: pubkey, endpoint: "198.18.0.3:5000", upload: 1, download: 2, keepalive_interval: 25, latest_handshake: nowS, allowed_ips: "10.60.0.2/32" } }]);
  const [device] = (await gw.api("GET", `/network/${network}/devices`)).body;
  expect(device).toMatchObject({ pubkey, connected: true, endpoint: "198.18.0.3:5000", upload: 1, download: 2 });

  expect((await gw.api("DELETE", `/device/${added.body.id}`)).status).toBe(200);
  await updates.until((r) => r.some((u) => u.peer?.pubkey === pubkey && u.update_type === UpdateType.DELETE), "the DELETE");
  updates.cancel();
});
