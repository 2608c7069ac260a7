// The audit trail of gateway connects and disconnects pairs up (issue 15): each gateway_connected is
// followed by exactly one gateway_disconnected, whoever ends the connection. A gateway back (on another
// Core, or the same) while its old connection still counts as open has that one audited as disconnected,
// with its address, before the new connect, and the old stream ending afterwards adds nothing. A gateway
// that asks for its configuration and never opens its Updates stream is never audited, though it reads as
// gone once stale and the sweep closes its row. The racing statements are pinned in
// core/gateway/gateway-records.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { openDatabase } from "../core/db/connection.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { auditOf, gatewayCluster, quiet, stampsOf } from "./support/gateway-cluster.ts";
import { networkBody } from "./support/gateway-stack.ts";
import { waitFor } from "./support/test-core.ts";
import { until } from "./support/vpn-stack.ts";

let db: TestDatabase;
const cluster = gatewayCluster(() => db);
const { core, coreProcess, connect } = cluster;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(cluster.stopAll);
afterAll(async () => {
  await db?.cleanup();
});

/** Stops the Cores (their audit events are written), then reads the gateway's audit trail from `db`. */
async function auditAfterStop(hostname: string) {
  for (const x of cluster.cores.splice(0)) await x.stop();
  if (db.kind === "postgres") return auditOf(db.sql, hostname);
  const check = await openDatabase(db.config, quiet);
  try {
    return await auditOf(check.sql, hostname);
  } finally {
    await check.close();
  }
}

/** The audit trail of a gateway's connections from `addresses`, one after another: each connect, then its disconnect. */
const pairedTrail = (gateway: string, location: string, addresses: string[]) =>
  addresses.flatMap((address) =>
    ["gateway_connected", "gateway_disconnected"].map((event) => ({ event, ip_address: address, details: { gateway, location, version: "1.6.0" } })),
  );

describe("on PostgreSQL", () => {
  test("a Core killed with SIGKILL and its gateway back on another Core before the row went stale: the old connection is audited as disconnected before the new connect", async () => {
    if (db.kind !== "postgres") return console.warn("skipped: two cores need PostgreSQL (the embedded database serves one core)");
    const b = await core();
    // A's stamps hold for half an hour: no sweep closes its row; the reconnect replaces it while open.
    const a = await coreProcess({ ...db.env, DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: "10m" });
    const network = (await b.api("POST", "/network", networkBody("quick-net", "10.74.0.1/24"))).body.id;
    const token = await b.token(network);
    const onA = await connect(a.target, token, "gw-quick");
    await a.child.waitFor("Gateway gw-quick (version 1.6.0");
    const [before] = (await until(() => b.api("GET", `/network/${network}/gateways`), (r) => r.body[0]?.connected === true)).body;
    await until(() => auditOf(db.sql, "gw-quick"), (rows) => rows.length === 1); // A's connect event is written

    await a.child.stop("SIGKILL");
    await onA.updates.status;
    const onB = await connect(b.target, token, "gw-quick");
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the stream on core B");
    const [back] = (await b.api("GET", `/network/${network}/gateways`)).body;
    expect(back).toMatchObject({ hostname: "gw-quick", connected: true, disconnected_at: null });
    expect(back.address).not.toBe(before.address);
    expect(b.lines.filter((l) => l.includes(`Gateway gw-quick connected again (${back.address}) while its previous connection (${before.address}) was still recorded as connected`)).length).toBe(1);
    await b.core.gateways.maintenance!.runOnce();
    expect(b.lines.filter((l) => l.includes("Gateway gw-quick of network quick-net counts as disconnected since")).length).toBe(0);

    onB.updates.cancel();
    await waitFor(() => b.core.gateways.counts?.().connected === 0, 10_000, "the stream's end on core B");
    expect(await auditAfterStop("gw-quick")).toEqual(pairedTrail("gw-quick", "quick-net", [before.address, back.address]));
  }, 120_000);
});

describe("on either database", () => {
  test("a gateway that asks for its configuration and opens no stream: gone once its stamp runs out, closed by the sweep, never audited; its stream later is", async () => {
    const b = await core();
    const network = (await b.api("POST", "/network", networkBody("config-only-net", "10.75.0.1/24"))).body.id;
    const gateway = cluster.gateway(b.target, await b.token(network), "gw-config");
    await gateway.config("edge");
    expect((await b.api("GET", `/network/${network}/gateways`)).body).toMatchObject([{ hostname: "gw-config", name: "edge", connected: true }]);

    // Nobody stamps a row of Config alone: three heartbeats (6 s) on it reads as gone, and a sweep closes it.
    await until(() => b.api("GET", `/network/${network}/gateways`), (r) => r.body[0]?.connected === false);
    await b.core.gateways.maintenance!.runOnce();
    const stamps = await stampsOf(b.sql, "gw-config");
    expect(stamps.disconnected_at).toEqual(stamps.seen_at);
    expect((await b.api("GET", `/network/${network}/gateways`)).body).toMatchObject([{ hostname: "gw-config", connected: false, disconnected_at: stamps.seen_at.toISOString() }]);
    const swept = "Gateway gw-config of network config-only-net counts as disconnected since";
    expect(b.lines.filter((l) => l.includes(swept)).map((l) => l.slice(l.indexOf(": ", l.indexOf(swept)) + 2))).toEqual(["it asked for its configuration but opened no updates stream"]);

    const updates = gateway.updates();
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the stream");
    updates.cancel();
    await waitFor(() => b.core.gateways.counts?.().connected === 0, 10_000, "the stream's end");
    expect((await auditAfterStop("gw-config")).map((row) => row.event)).toEqual(["gateway_connected", "gateway_disconnected"]);
  }, 120_000);

  test("a gateway reconnecting while its stream still counts as open: the old connection is audited as disconnected (its address) before the new connect; the old stream's end adds nothing", async () => {
    const b = await core();
    const network = (await b.api("POST", "/network", networkBody("again-net", "10.76.0.1/24"))).body.id;
    const token = await b.token(network);
    const old = await connect(b.target, token, "gw-again");
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the first stream");
    const [before] = (await b.api("GET", `/network/${network}/gateways`)).body;

    const fresh = await connect(b.target, token, "gw-again");
    await waitFor(() => b.core.gateways.counts?.().connected === 2, 10_000, "the second stream");
    const [after] = (await b.api("GET", `/network/${network}/gateways`)).body;
    expect(after).toMatchObject({ hostname: "gw-again", connected: true });
    expect(after.address).not.toBe(before.address);
    old.updates.cancel();
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the first stream's end");
    expect((await b.api("GET", `/network/${network}/gateways`)).body).toMatchObject([{ address: after.address, connected: true, disconnected_at: null }]);

    fresh.updates.cancel();
    await waitFor(() => b.core.gateways.counts?.().connected === 0, 10_000, "the second stream's end");
    expect(await auditAfterStop("gw-again")).toEqual(pairedTrail("gw-again", "again-net", [before.address, after.address]));
  }, 120_000);
});

