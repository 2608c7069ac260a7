// Gateways of a Core that died (issue 15). A real Core process holding a gateway's stream is killed with
// SIGKILL: once its stamps run out the other Cores read the gateway as disconnected at its last stamp, two
// of them racing their maintenance close the row once (one audit event), health and /metrics count 0, and
// the gateway reconnecting to another Core is connected again. A Core alive but late with its stamps ends
// the stream whose row was closed, without a second audit event. On PGlite the Core restarting on the
// crashed one's data directory closes its rows at startup.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuditLog } from "../core/audit/audit-log.ts";
import { openDatabase } from "../core/db/connection.ts";
import { sweepStaleGateways } from "../core/gateway/vpn-maintenance.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { auditOf, gatewayCluster, quiet, stampsOf } from "./support/gateway-cluster.ts";
import { type GatewayCore, networkBody } from "./support/gateway-stack.ts";
import { adminCall, adminLogin } from "./support/multi-stack.ts";
import { waitFor } from "./support/test-core.ts";
import { until } from "./support/vpn-stack.ts";

let db: TestDatabase;
const { cores, core, coreProcess, connect, stopAll } = gatewayCluster(() => db);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(stopAll);
afterAll(async () => {
  await db?.cleanup();
});

const metric = async (c: GatewayCore, name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${c.core.metricsPort}/metrics`)).text();
  return text.split("\n").find((line) => line.startsWith(`${name} `));
};

const postgresOnly = () => {
  if (db.kind === "postgres") return false;
  console.warn("skipped: several cores need PostgreSQL (the embedded database serves one core)");
  return true;
};

describe("on PostgreSQL", () => {
  test("a Core killed with SIGKILL: its gateway reads as gone at its last stamp, two racing maintenance rounds close it once, the counts drop to 0; it reconnects to another Core", async () => {
    if (postgresOnly()) return;
    const b = await core({ DEFGUARD_METRICS_PORT: "0" });
    const c = await core();
    const a = await coreProcess(db.env);
    const network = (await b.api("POST", "/network", networkBody("crash-net", "10.70.0.1/24"))).body.id;
    const token = await b.token(network);

    const onA = await connect(a.target, token, "gw-orphan");
    await a.child.waitFor("Gateway gw-orphan (version 1.6.0");
    const [live] = (await until(() => b.api("GET", `/network/${network}/gateways`), (r) => r.body[0]?.connected === true)).body;
    const addressOnA = live.address;
    await until(() => auditOf(db.sql, "gw-orphan"), (rows) => rows.length === 1); // A's connect event is written
    // A heartbeat of A moves the stamp past connected_at (connecting stamped the row at that instant).
    await until(() => db.sql<{ stamped: boolean }[]>`SELECT seen_at > connected_at AS stamped FROM gateways WHERE hostname = 'gw-orphan'`, (rows) => rows[0]!.stamped);
    expect((await b.api("GET", "/health")).body.gateways).toEqual({ connected: 0, peers: 0, connected_all_cores: 1 });
    expect(await metric(b, "defguard_core_gateways_connected_all_cores")).toBe("defguard_core_gateways_connected_all_cores 1");

    await a.child.stop("SIGKILL");
    await onA.updates.status;
    // Stale (no stamp for three heartbeats): every reader says disconnected before any sweep stored it.
    await until(() => b.api("GET", `/network/${network}/gateways`), (r) => r.body[0]?.connected === false);
    await Promise.all([b.core.gateways.maintenance!.runOnce(), c.core.gateways.maintenance!.runOnce()]);
    const stamps = await stampsOf(db.sql, "gw-orphan");
    expect(stamps.disconnected_at).toEqual(stamps.seen_at);
    expect(stamps.seen_at.getTime()).toBeGreaterThan(new Date(live.connected_at).getTime());
    const closedBy = [b, c].map((x) => x.lines.filter((l) => l.includes("Gateway gw-orphan of network crash-net counts as disconnected since")).length);
    expect(closedBy.sort()).toEqual([0, 1]);
    expect((await b.api("GET", `/network/${network}/gateways`)).body).toEqual([
      { hostname: "gw-orphan", name: "edge", version: "1.6.0", address: addressOnA, connected: false, connected_at: live.connected_at, disconnected_at: stamps.seen_at.toISOString() },
    ]);
    expect((await b.api("GET", "/health")).body.gateways).toEqual({ connected: 0, peers: 0, connected_all_cores: 0 });
    expect(await metric(b, "defguard_core_gateways_connected_all_cores")).toBe("defguard_core_gateways_connected_all_cores 0");
    await until(() => auditOf(db.sql, "gw-orphan"), (rows) => rows.length === 2);
    await Promise.all([b.core.gateways.maintenance!.runOnce(), c.core.gateways.maintenance!.runOnce()]);

    const onC = await connect(c.target, token, "gw-orphan");
    await waitFor(() => c.core.gateways.counts?.().connected === 1, 10_000, "the stream on core C");
    const [back] = (await b.api("GET", `/network/${network}/gateways`)).body;
    expect(back).toMatchObject({ hostname: "gw-orphan", connected: true, disconnected_at: null });
    expect((await b.api("GET", "/health")).body.gateways).toEqual({ connected: 0, peers: 0, connected_all_cores: 1 });

    onC.updates.cancel();
    await waitFor(() => c.core.gateways.counts?.().connected === 0, 10_000, "the stream's end on core C");
    for (const x of cores.splice(0)) await x.stop(); // their audit events are written
    const details = { gateway: "gw-orphan", location: "crash-net", version: "1.6.0" };
    expect(await auditOf(db.sql, "gw-orphan")).toEqual([
      { event: "gateway_connected", ip_address: addressOnA, details },
      { event: "gateway_disconnected", ip_address: addressOnA, details },
      { event: "gateway_connected", ip_address: back.address, details },
      { event: "gateway_disconnected", ip_address: back.address, details },
    ]);
  }, 120_000);

  test("a Core alive but late with its stamps: another closes the row (audited once), the late Core ends that stream and the gateway reconnects", async () => {
    if (postgresOnly()) return;
    const b = await core();
    const network = (await b.api("POST", "/network", networkBody("late-net", "10.71.0.1/24"))).body.id;
    const token = await b.token(network);
    const first = await connect(b.target, token, "gw-late");
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the stream");
    await until(() => auditOf(db.sql, "gw-late"), (rows) => rows.length === 1); // its connect event is written

    // Its last stamp ten minutes old and a sweep, in one transaction: b's next stamp waits, then finds the row closed.
    const audit = createAuditLog(db.sql, quiet);
    await db.sql.begin(async (tx) => {
      await tx`UPDATE gateways SET seen_at = seen_at - interval '10 minutes', alive_until = alive_until - interval '10 minutes' WHERE hostname = 'gw-late'`;
      expect(await sweepStaleGateways({ sql: tx, audit, log: quiet })).toBe(1);
    });
    await audit.settled();
    expect((await first.updates.status).code).toBe(0);
    await waitFor(() => b.core.gateways.counts?.().connected === 0, 10_000, "the stream's end");
    expect(b.lines.filter((l) => l.includes("Gateway gw-late was marked disconnected by another core")).length).toBe(1);
    const stamps = await stampsOf(db.sql, "gw-late");
    expect(stamps.disconnected_at).toEqual(stamps.seen_at);

    const again = await connect(b.target, token, "gw-late");
    await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the new stream");
    expect((await b.api("GET", `/network/${network}/gateways`)).body).toMatchObject([{ hostname: "gw-late", connected: true, disconnected_at: null }]);
    again.updates.cancel();
    await waitFor(() => b.core.gateways.counts?.().connected === 0, 10_000, "the new stream's end");
    for (const x of cores.splice(0)) await x.stop();
    expect((await auditOf(db.sql, "gw-late")).map((row) => row.event)).toEqual(["gateway_connected", "gateway_disconnected", "gateway_connected", "gateway_disconnected"]);
  }, 120_000);
});

describe("on PGlite", () => {
  // PGlite starts and migrates in seconds on an idle machine, in a minute on a loaded one: two starts here.
  test("a Core killed with SIGKILL and started again on its data directory closes its gateway at startup, at the last stamp, audited once", async () => {
    // The killed Core's stamp holds for half an hour: only the startup sweep of the one Core closes it now.
    const dataDir = mkdtempSync(join(tmpdir(), "dg-test-stale-pglite-"));
    const embedded = { env: { DEFGUARD_DATA_DIR: dataDir }, kind: "embedded" as const, close: async () => {} };
    try {
      const a = await coreProcess({ ...embedded.env, DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: "10m" });
      const cookie = await adminLogin(a.adminUrl);
      const network = (await adminCall(a.adminUrl, cookie, "POST", "/api/v1/network", networkBody("pglite-crash", "10.72.0.1/24"))).body.id;
      const token = (await adminCall(a.adminUrl, cookie, "GET", `/api/v1/network/${network}/token`)).body.token;
      const onA = await connect(a.target, token, "gw-pglite");
      await until(() => adminCall(a.adminUrl, cookie, "GET", "/api/v1/audit?event=gateway_connected"), (r) => r.body.length === 1);
      await a.child.stop("SIGKILL");
      await onA.updates.status;

      const b = await core({}, embedded);
      const stamps = await stampsOf(b.sql, "gw-pglite");
      expect(stamps.disconnected_at).toEqual(stamps.seen_at);
      expect(b.lines.filter((l) => l.includes("Gateway gw-pglite of network pglite-crash counts as disconnected since")).length).toBe(1);
      expect((await b.api("GET", `/network/${network}/gateways`)).body).toMatchObject([{ hostname: "gw-pglite", connected: false, disconnected_at: stamps.seen_at.toISOString() }]);

      await connect(b.target, token, "gw-pglite");
      await waitFor(() => b.core.gateways.counts?.().connected === 1, 10_000, "the stream on the restarted core");
      expect((await b.api("GET", `/network/${network}/gateways`)).body).toMatchObject([{ hostname: "gw-pglite", connected: true, disconnected_at: null }]);
      for (const x of cores.splice(0)) await x.stop();

      const check = await openDatabase({ kind: "embedded", dataDir }, quiet);
      try {
        expect((await auditOf(check.sql, "gw-pglite")).map((row) => row.event)).toEqual(["gateway_connected", "gateway_disconnected", "gateway_connected", "gateway_disconnected"]);
      } finally {
        await check.close();
      }
    } finally {
      await stopAll();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
