// The peer event bus: across two clients of one PostgreSQL through NOTIFY (large events split, malformed
// ones ignored, a lost LISTEN connection followed by a resync), and in-process on the embedded database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { waitFor } from "../../test/support/test-core.ts";
import { type DeliveredPeerEvent, PEER_EVENTS_CHANNEL, type PeerEventBus, createPeerEventBus } from "./peer-events.ts";

let db: TestDatabase;
const lines: string[] = [];
const log = createLogger({ level: "debug", format: "text", target: "test::peer_events", write: (l) => lines.push(l) });
const clients: postgres.Sql[] = [];
const buses: PeerEventBus[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const bus of buses) await bus.stop();
  for (const sql of clients) await sql.end({ timeout: 1 });
  await db?.cleanup();
});

/** A bus on a client of its own (a Core of its own), recording what it delivers. */
async function startBus(): Promise<{ bus: PeerEventBus; got: DeliveredPeerEvent[]; sql: postgres.Sql }> {
  const config = db.config as Extract<typeof db.config, { kind: "postgres" }>;
  const sql = postgres({ host: config.host, port: config.port, user: config.user, database: config.database, max: 2, onnotice: () => {} });
  clients.push(sql);
  const bus = createPeerEventBus({ sql, kind: "postgres", log });
  buses.push(bus);
  const got: DeliveredPeerEvent[] = [];
  bus.subscribe((event) => got.push(event));
  await bus.start();
  return { bus, got, sql };
}

describe("on PostgreSQL", () => {
  test("an event published by one core reaches both; 1200 device ids arrive in NOTIFY-sized parts; malformed payloads are ignored", async () => {
    if (db.kind !== "postgres") return console.warn("skipped: needs PostgreSQL");
    const a = await startBus();
    const b = await startBus();
    await a.bus.publish({ type: "user", userId: 7 });
    await waitFor(() => a.got.length === 1 && b.got.length === 1, 10_000, "the event on both");
    expect(b.got).toEqual([{ type: "user", userId: 7 }]);

    const ids = Array.from({ length: 1200 }, (_, i) => i + 1);
    await b.bus.publish({ type: "devices", deviceIds: ids });
    await waitFor(() => a.got.length === 4, 10_000, "the parts");
    const parts = a.got.slice(1) as { deviceIds: number[] }[];
    expect(parts.map((p) => p.deviceIds.length)).toEqual([500, 500, 200]);
    expect(parts.flatMap((p) => p.deviceIds)).toEqual(ids);

    await a.sql.notify(PEER_EVENTS_CHANNEL, '{"type":"devices","deviceIds":["1; DROP"]}');
    await a.sql.notify(PEER_EVENTS_CHANNEL, "not json");
    await a.bus.publish({ type: "network-deleted", networkId: 3, name: "lab" });
    await waitFor(() => b.got.length === 5, 10_000, "the valid event after the malformed ones");
    expect(b.got.at(-1)).toEqual({ type: "network-deleted", networkId: 3, name: "lab" });
    expect(lines.filter((l) => l.includes("Ignored a malformed peer event"))).toHaveLength(4);
  });

  test("a lost LISTEN connection, once back, delivers a resync", async () => {
    if (db.kind !== "postgres") return console.warn("skipped: needs PostgreSQL");
    const c = await startBus();
    const [listener] = await c.sql<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE ${`%listen%${PEER_EVENTS_CHANNEL}%`} AND pid <> pg_backend_pid()
      ORDER BY backend_start DESC LIMIT 1`;
    expect(listener).toBeDefined();
    await c.sql`SELECT pg_terminate_backend(${listener!.pid})`;
    await waitFor(() => c.got.some((e) => e.type === "resync"), 20_000, "the resync");
    await c.bus.publish({ type: "network", networkId: 9 });
    await waitFor(() => c.got.some((e) => e.type === "network"), 10_000, "events after the reconnect");
  });
});

test("embedded: events are delivered in-process, after the publisher's call returns", async () => {
  const bus = createPeerEventBus({ sql: db.sql, kind: "embedded", log });
  const got: DeliveredPeerEvent[] = [];
  bus.subscribe((event) => got.push(event));
  await bus.start();
  await bus.publish({ type: "devices", deviceIds: [1, 2] });
  expect(got).toEqual([]);
  await waitFor(() => got.length === 1, 5_000, "the event");
  expect(got).toEqual([{ type: "devices", deviceIds: [1, 2] }]);
  await bus.stop();
});
