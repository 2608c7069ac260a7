// The gateways table on a real database: a row stamped alive reads as connected, one whose stamp ran out
// reads as disconnected at its last stamp everywhere (list, count), sweeps racing close it exactly once,
// the Core still holding it learns so, and a reconnect opens it again. Whoever ends an audited connection
// (its stream's end, a sweep, a newer connection replacing it) learns so alone, even racing the others.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { addNetwork } from "../flows/enrollment/test-fixtures.ts";
import type { GatewayIdentity } from "./gateway-auth.ts";
import {
  type EndedConnection,
  closeStaleGateways,
  countConnectedGateways,
  listGateways,
  recordGatewayConnected,
  recordGatewayDisconnected,
  stampGatewaysAlive,
} from "./gateway-records.ts";

const ALIVE_S = 60;
/** An Updates stream (its connect audited), and the Config call before it. */
const STREAM = { streaming: true };
const STREAM_EDGE = { streaming: true, name: "edge" };
const CONFIG = { streaming: false, name: "edge" };

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
});

const identity = (networkId: number, hostname: string, address = "198.18.0.7:40000"): GatewayIdentity => ({ networkId, hostname, version: "1.6.0", address });

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
  const connection = (await recordGatewayConnected(db.sql, identity(network.id, "gw-stale"), ALIVE_S, STREAM_EDGE))!;
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
  expect(sweeps.flat()).toEqual([{ network_id: network.id, hostname: "gw-stale", version: "1.6.0", address: "198.18.0.7:40000", location: "stale-net", streaming: true, disconnected_at: lastStamp }]);
  expect((await stored(connection.id)).disconnected_at).toEqual(lastStamp);
  expect(await closeStaleGateways(db.sql)).toEqual([]);

  // The Core that held it, alive after all, learns its row was closed; its stream's end changes nothing.
  expect(await stampGatewaysAlive(db.sql, [connection.connectionId], ALIVE_S)).toEqual([connection.connectionId]);
  expect(await recordGatewayDisconnected(db.sql, connection)).toBe("already closed");
  expect((await stored(connection.id)).disconnected_at).toEqual(lastStamp);

  const again = (await recordGatewayConnected(db.sql, identity(network.id, "gw-stale"), ALIVE_S, STREAM))!;
  expect(again.id).toBe(connection.id);
  expect(again.replaced).toBeNull();
  expect((await listGateways(db.sql, network.id)).map((g) => [g.name, g.connected, g.disconnected_at])).toEqual([["edge", true, null]]);
  expect(await countConnectedGateways(db.sql)).toBe(1);
  expect(await recordGatewayDisconnected(db.sql, again)).toBe("closed");
  expect(await countConnectedGateways(db.sql)).toBe(0);
});

test("a connection replaced by a newer one of the same host is told so; a fresh row is swept only when every open row goes", async () => {
  const network = await addNetwork(db.sql, { name: "replaced-net" });
  const older = (await recordGatewayConnected(db.sql, identity(network.id, "gw-moved"), ALIVE_S, STREAM))!;
  const newer = (await recordGatewayConnected(db.sql, identity(network.id, "gw-moved"), ALIVE_S, STREAM))!;
  expect(newer.replaced).toEqual({ hostname: "gw-moved", version: "1.6.0", address: "198.18.0.7:40000", location: "replaced-net", streaming: true });
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

test("a row of Config alone is no audited connection: replaced by its stream or swept as stale, it comes back not streaming", async () => {
  const network = await addNetwork(db.sql, { name: "config-net" });
  const gw = identity(network.id, "gw-config");
  expect((await recordGatewayConnected(db.sql, gw, ALIVE_S, CONFIG))!.replaced).toBeNull();
  const stream = (await recordGatewayConnected(db.sql, gw, ALIVE_S, STREAM))!;
  expect(stream.replaced).toEqual({ hostname: "gw-config", version: "1.6.0", address: "198.18.0.7:40000", location: "config-net", streaming: false });
  expect(await recordGatewayDisconnected(db.sql, stream)).toBe("closed");

  // Config again, and no stream: it reads as connected, then as gone at its stamp, and the sweep closes it.
  const alone = (await recordGatewayConnected(db.sql, gw, ALIVE_S, CONFIG))!;
  expect(alone.replaced).toBeNull();
  expect((await listGateways(db.sql, network.id)).map((g) => [g.name, g.connected])).toEqual([["edge", true]]);
  await age(alone.id);
  const { seen_at } = await stored(alone.id);
  expect((await listGateways(db.sql, network.id)).map((g) => [g.connected, g.disconnected_at])).toEqual([[false, seen_at]]);
  expect((await closeStaleGateways(db.sql)).map((g) => [g.hostname, g.streaming, g.disconnected_at])).toEqual([["gw-config", false, seen_at]]);
});

test("an audited connection replaced while open comes back with what it stored; a row gone with its network is told so", async () => {
  const network = await addNetwork(db.sql, { name: "moved-net" });
  const old = (await recordGatewayConnected(db.sql, identity(network.id, "gw-back", "198.18.0.8:1111"), ALIVE_S, STREAM))!;
  // Its Core died and it reconnects at once, through Config then Updates, from another address.
  const config = (await recordGatewayConnected(db.sql, identity(network.id, "gw-back", "198.18.0.9:2222"), ALIVE_S, CONFIG))!;
  expect(config.replaced).toEqual({ hostname: "gw-back", version: "1.6.0", address: "198.18.0.8:1111", location: "moved-net", streaming: true });
  const stream = (await recordGatewayConnected(db.sql, identity(network.id, "gw-back", "198.18.0.9:2222"), ALIVE_S, STREAM))!;
  expect(stream.replaced).toMatchObject({ address: "198.18.0.9:2222", streaming: false });
  expect(await recordGatewayDisconnected(db.sql, old)).toBe("replaced");

  await db.sql`DELETE FROM networks WHERE id = ${network.id}`;
  expect(await recordGatewayDisconnected(db.sql, stream)).toBe("deleted");
});

test("racing connects, sweeps and a stream's end: each audited connection is ended once, by one of them, or left open", async () => {
  const network = await addNetwork(db.sql, { name: "race-net" });
  /** The addresses of the audited connections ended, as whoever ended each was told. */
  const ended: string[] = [];
  const note = (connection: EndedConnection | null | undefined) => connection?.streaming && ended.push(connection.address!);
  const connect = (address: string, options: { streaming: boolean }) => recordGatewayConnected(db.sql, identity(network.id, "gw-race", address), ALIVE_S, options);
  const current = async () => (await db.sql<{ connection_id: string; address: string; streaming: boolean }[]>`SELECT connection_id, address, streaming FROM gateways WHERE hostname = 'gw-race'`)[0]!;

  // The host's first streams, five at once, on a row none of them finds: one inserts it, the others take it over.
  const first = await Promise.all([1, 2, 3, 4, 5].map((i) => connect(`198.18.1.${i}:4000`, STREAM)));
  first.forEach((c) => note(c!.replaced));
  const open = await current();
  expect([...ended, open.address].sort()).toEqual(["198.18.1.1:4000", "198.18.1.2:4000", "198.18.1.3:4000", "198.18.1.4:4000", "198.18.1.5:4000"]);

  // Its Core stops stamping it; five sweeps, five streams, two Config calls and its own end, all at once.
  ended.length = 0;
  const survivor = first.find((c) => c!.connectionId === open.connection_id)!;
  await age(survivor.id);
  const [sweeps, streams, configs, end] = await Promise.all([
    Promise.all([1, 2, 3, 4, 5].map(() => closeStaleGateways(db.sql))),
    Promise.all([1, 2, 3, 4, 5].map((i) => connect(`198.18.2.${i}:4000`, STREAM))),
    Promise.all([1, 2].map((i) => connect(`198.18.3.${i}:4000`, CONFIG))),
    recordGatewayDisconnected(db.sql, survivor),
  ]);
  sweeps.flat().forEach(note);
  [...streams, ...configs].forEach((c) => note(c!.replaced));
  if (end === "closed") ended.push(open.address);
  const last = await current();
  if (last.streaming) ended.push(last.address);
  expect(ended.sort()).toEqual([open.address, "198.18.2.1:4000", "198.18.2.2:4000", "198.18.2.3:4000", "198.18.2.4:4000", "198.18.2.5:4000"]);
});
