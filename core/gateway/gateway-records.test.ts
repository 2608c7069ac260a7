// The gateways table on a real database: a row stamped alive reads as connected, one whose stamp ran out
// reads as disconnected at its last stamp everywhere (list, count), sweeps racing close it exactly once,
// the Core still holding it learns so, and a reconnect opens it again.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { addNetwork } from "../flows/enrollment/test-fixtures.ts";
import type { GatewayIdentity } from "./gateway-auth.ts";
import {
  closeStaleGateways,
  countConnectedGateways,
  listGateways,
  recordGatewayConnected,
  recordGatewayDisconnected,
  stampGatewaysAlive,
} from "./gateway-records.ts";

const ALIVE_S = 60;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
});

const identity = (networkId: number, hostname: string): GatewayIdentity => ({ networkId, hostname, version: "1.6.0", address: "198.18.0.7:40000" });

/** The row's stamps as stored. */
async function stored(id: number) {
  const [row] = await db.sql<{ seen_at: Date; alive_until: Date; disconnected_at: Date | null }[]>`
    SELECT seen_at, alive_until, disconnected_at FROM gateways WHERE id = ${id}`;
  return row!;
}

/** As if the Core holding the row had stopped stamping it ten minutes ago. */
const age = (id: number) => db.sql`UPDATE gateways SET seen_at = seen_at - interval '10 minutes', alive_until = alive_until - interval '10 minutes' WHERE id = ${id}`;

test("a row whose stamp ran out reads as disconnected at its last stamp; racing sweeps close it once; a reconnect opens it", async () => {
  const network = await addNetwork(db.sql, { name: "stale-net" });
  const connection = (await recordGatewayConnected(db.sql, identity(network.id, "gw-stale"), ALIVE_S, "edge"))!;
  const fresh = await stored(connection.id);
  expect(fresh.alive_until.getTime() - fresh.seen_at.getTime()).toBe(ALIVE_S * 1000);
  expect(fresh.seen_at).toEqual((await listGateways(db.sql, network.id))[0]!.connected_at);
  expect((await listGateways(db.sql, network.id)).map((g) => [g.hostname, g.connected, g.disconnected_at])).toEqual([["gw-stale", true, null]]);
  expect(await countConnectedGateways(db.sql)).toBe(1);

  // The heartbeat moves both stamps on; nothing of it was closed.
  expect(await stampGatewaysAlive(db.sql, [connection.connectionId], ALIVE_S)).toEqual([]);
  const stamped = await stored(connection.id);
  expect(stamped.seen_at.getTime()).toBeGreaterThan(fresh.seen_at.getTime());
  expect(stamped.alive_until.getTime() - stamped.seen_at.getTime()).toBe(ALIVE_S * 1000);

  await age(connection.id);
  const { seen_at: lastStamp } = await stored(connection.id);
  const [listed] = await listGateways(db.sql, network.id);
  expect(listed).toMatchObject({ hostname: "gw-stale", connected: false, disconnected_at: lastStamp });
  expect(await countConnectedGateways(db.sql)).toBe(0);

  // Five sweeps at once, as five Cores' maintenance rounds: one of them closes the row.
  const sweeps = await Promise.all([1, 2, 3, 4, 5].map(() => closeStaleGateways(db.sql)));
  expect(sweeps.flat()).toEqual([{ network_id: network.id, hostname: "gw-stale", version: "1.6.0", address: "198.18.0.7:40000", location: "stale-net", disconnected_at: lastStamp }]);
  expect((await stored(connection.id)).disconnected_at).toEqual(lastStamp);
  expect(await closeStaleGateways(db.sql)).toEqual([]);

  // The Core that held it, alive after all, learns its row was closed; its stream's end changes nothing.
  expect(await stampGatewaysAlive(db.sql, [connection.connectionId], ALIVE_S)).toEqual([connection.connectionId]);
  expect(await recordGatewayDisconnected(db.sql, connection)).toBe("already closed");
  expect((await stored(connection.id)).disconnected_at).toEqual(lastStamp);

  const again = (await recordGatewayConnected(db.sql, identity(network.id, "gw-stale"), ALIVE_S))!;
  expect(again.id).toBe(connection.id);
  expect((await listGateways(db.sql, network.id)).map((g) => [g.name, g.connected, g.disconnected_at])).toEqual([["edge", true, null]]);
  expect(await countConnectedGateways(db.sql)).toBe(1);
  expect(await recordGatewayDisconnected(db.sql, again)).toBe("closed");
  expect(await countConnectedGateways(db.sql)).toBe(0);
});

test("a connection replaced by a newer one of the same host is told so; a fresh row is swept only when every open row goes", async () => {
  const network = await addNetwork(db.sql, { name: "replaced-net" });
  const older = (await recordGatewayConnected(db.sql, identity(network.id, "gw-moved"), ALIVE_S))!;
  const newer = (await recordGatewayConnected(db.sql, identity(network.id, "gw-moved"), ALIVE_S))!;
  expect(await recordGatewayDisconnected(db.sql, older)).toBe("replaced");
  expect(await stampGatewaysAlive(db.sql, [older.connectionId, newer.connectionId], ALIVE_S)).toEqual([]);
  expect(await closeStaleGateways(db.sql)).toEqual([]);
  expect(await countConnectedGateways(db.sql)).toBe(1);

  // The embedded database's Core starting: every open row is its dead predecessor's.
  const { seen_at } = await stored(newer.id);
  expect((await closeStaleGateways(db.sql, true)).map((g) => [g.hostname, g.disconnected_at])).toEqual([["gw-moved", seen_at]]);
  expect(await countConnectedGateways(db.sql)).toBe(0);
  expect(await recordGatewayDisconnected(db.sql, newer)).toBe("already closed");
});
