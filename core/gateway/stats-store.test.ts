// Stats storage on a real database: figures matched to devices of the gateway's network, the latest kept on
// network_devices, each session start and end reported once, and the history purged past its retention.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { addDevice } from "../../test/support/flow-harness.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { addNetwork, addUser } from "../flows/enrollment/test-fixtures.ts";
import { loadPeers } from "./network-peers.ts";
import { endIdleVpnSessions, endpointIp, purgeVpnStats, storePeerFigures } from "./stats-store.ts";
import { expireMfaAuthorizations } from "./vpn-maintenance.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.cleanup();
});

const nowS = () => Math.floor(Date.now() / 1000);
const figures = (pubkey: string, handshakeS: number, upload = 1) => ({ pubkey, endpoint: "198.18.0.5:51000", upload, download: upload, latestHandshakeS: handshakeS });

test("figures are stored for devices of the gateway's network only; a session starts once; the latest stays on network_devices", async () => {
  const network = await addNetwork(db.sql, { address: ["10.80.0.1/24"] });
  const other = await addNetwork(db.sql, { address: ["10.81.0.1/24"] });
  const user = await addUser(db.sql);
  const mine = await addDevice(db.sql, user.id, [network.id]);
  const elsewhere = await addDevice(db.sql, user.id, [other.id]);

  const first = await storePeerFigures(db.sql, network.id, [figures(mine.pubkey, nowS() - 5, 1), figures(mine.pubkey, nowS() - 1, 2), figures(elsewhere.pubkey, nowS()), figures("unknown", nowS())]);
  expect(first.map((s) => s.network_name)).toEqual([network.name]);
  expect(await storePeerFigures(db.sql, network.id, [figures(mine.pubkey, nowS(), 3)])).toEqual([]);
  const [latest] = await db.sql<{ upload: number; endpoint: string }[]>`SELECT upload, endpoint FROM network_devices WHERE device_id = ${mine.id}`;
  expect(latest).toEqual({ upload: 3, endpoint: "198.18.0.5:51000" });
  const [history] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM vpn_stats`;
  expect(history!.n).toBe(2);
  expect(endpointIp("[fd00::5]:51000")).toBe("fd00::5");
  expect(endpointIp("198.18.0.5:51000")).toBe("198.18.0.5");

  // An old handshake ends the session once; the history older than the retention goes, the latest stays.
  await db.sql`UPDATE network_devices SET last_handshake = now() - interval '1 hour' WHERE device_id = ${mine.id}`;
  expect((await endIdleVpnSessions(db.sql)).map((s) => s.username)).toEqual([user.username]);
  expect(await endIdleVpnSessions(db.sql)).toEqual([]);
  await db.sql`UPDATE vpn_stats SET collected_at = now() - interval '2 hours' WHERE id = (SELECT min(id) FROM vpn_stats)`;
  expect(await purgeVpnStats(db.sql, 3600)).toBe(1);
  expect(await purgeVpnStats(db.sql, 3600)).toBe(0);
  const [kept] = await db.sql<{ upload: number }[]>`SELECT upload FROM network_devices WHERE device_id = ${mine.id}`;
  expect(kept!.upload).toBe(3);
});

test("MFA expiry takes only authorized devices idle past the threshold on MFA networks", async () => {
  const mfa = await addNetwork(db.sql, { address: ["10.82.0.1/24"], mfa_mode: "internal" });
  const open = await addNetwork(db.sql, { address: ["10.83.0.1/24"] });
  await db.sql`UPDATE networks SET peer_disconnect_threshold = 60 WHERE id IN (${mfa.id}, ${open.id})`;
  const user = await addUser(db.sql);
  const idle = await addDevice(db.sql, user.id, [mfa.id, open.id]);
  const active = await addDevice(db.sql, user.id, [mfa.id]);
  const fresh = await addDevice(db.sql, user.id, [mfa.id]);
  await db.sql`UPDATE network_devices SET is_authorized = true, preshared_key = 'psk', authorized_at = now() - interval '10 minutes'`;
  await db.sql`UPDATE network_devices SET last_handshake = now() - interval '5 seconds' WHERE device_id = ${active.id}`;
  await db.sql`UPDATE network_devices SET authorized_at = now() WHERE device_id = ${fresh.id}`;
  expect((await loadPeers(db.sql, mfa.id, { all: true })).map((p) => p.device_id)).toEqual([idle.id, active.id, fresh.id]);

  expect(await expireMfaAuthorizations(db.sql)).toEqual([idle.id]);
  expect((await loadPeers(db.sql, mfa.id, { all: true })).map((p) => p.device_id)).toEqual([active.id, fresh.id]);
  // The network without MFA ignores authorization: the device stays a peer there, without a preshared key.
  expect(await loadPeers(db.sql, open.id, { deviceIds: [idle.id] })).toEqual([
    expect.objectContaining({ device_id: idle.id, preshared_key: null }),
  ]);
});
