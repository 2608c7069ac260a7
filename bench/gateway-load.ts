// The gateway bench's heavy parts: a network of many devices written straight into the database, the Core's
// Config for it timed over real gRPC, the Stats of that many peers sent as a gateway would, and `wg`
// applying the same peers for context.
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentials } from "@grpc/grpc-js";
import type postgres from "postgres";
import { gatewayMetadata } from "../gateway/core-link.ts";
import { type Configuration__Output, GatewayServiceClientConstructor, type GatewayServiceClient, gatewayCodec } from "../shared/gateway-proto.ts";
import type { NetnsLab } from "../test/support/netns.ts";
import { startWireguardGo } from "../test/support/wg-client.ts";
import { cpuSeconds, rssMb, sampleRss } from "./machine.ts";

/** A fresh WireGuard public key's shape: 32 random bytes in base64 (wg accepts any 32 bytes). */
export const randomKey = () => randomBytes(32).toString("base64");

/**
 * Adds `count` devices of user `userId` to network `networkId`, addresses from `firstOffset` past the
 * network's base address, in three statements (no peer events: the gateways learn of them from Config).
 */
export async function addBulkDevices(sql: postgres.Sql, networkId: number, userId: number, count: number, base: string, firstOffset: number): Promise<string[]> {
  const keys = Array.from({ length: count }, randomKey);
  await sql.begin(async (tx) => {
    const ids = await tx<{ id: number }[]>`
      INSERT INTO devices (user_id, name, pubkey)
      SELECT ${userId}, 'bulk-' || n, key FROM unnest(${keys}::text[]) WITH ORDINALITY AS k(key, n) RETURNING id`;
    const deviceIds = ids.map((r) => r.id);
    await tx`INSERT INTO network_devices (network_id, device_id) SELECT ${networkId}, unnest(${deviceIds}::bigint[])`;
    await tx`
      INSERT INTO network_device_addresses (network_id, device_id, address)
      SELECT ${networkId}, id, ${base}::inet + (${firstOffset} + n - 1) FROM unnest(${deviceIds}::bigint[]) WITH ORDINALITY AS d(id, n)`;
  });
  return keys;
}

function gatewayClient(grpcPort: number): GatewayServiceClient {
  return new GatewayServiceClientConstructor(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
}

export interface ConfigTiming {
  /** Wall time of each Config call, ms, as a gateway waits for it. */
  ms: number[];
  peers: number;
  /** Encoded size of the answer. */
  bytes: number;
  coreRssBeforeMb: number;
  coreRssPeakMb: number;
  /** CPU the Core spent per call, ms. */
  coreCpuMsPerCall: number;
}

/** Calls Config `calls` times in a row, as a gateway with `token` would, timing each and the Core's memory. */
export async function timeConfig(grpcPort: number, token: string, corePid: number, calls: number): Promise<ConfigTiming> {
  const client = gatewayClient(grpcPort);
  const ask = () =>
    new Promise<Configuration__Output>((resolve, reject) =>
      client.Config({ name: "bench" }, gatewayMetadata(token, "bench-config"), (err, answer) => (err || !answer ? reject(err) : resolve(answer))),
    );
  await ask(); // the channel and the statements warmed up
  const coreRssBeforeMb = rssMb(corePid);
  const sampler = sampleRss([corePid], 20);
  const cpuBefore = cpuSeconds(corePid);
  const ms: number[] = [];
  let last: Configuration__Output | undefined;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    last = await ask();
    ms.push(performance.now() - started);
  }
  const coreCpuMsPerCall = ((cpuSeconds(corePid) - cpuBefore) * 1000) / calls;
  const [coreRssPeakMb] = sampler.stop();
  client.close();
  return { ms, peers: last!.peers.length, bytes: gatewayCodec.encodeConfiguration(last!).length, coreRssBeforeMb, coreRssPeakMb: coreRssPeakMb!, coreCpuMsPerCall };
}

export interface StatsRound {
  /** Core CPU seconds spent storing one round. */
  coreCpuS: number;
  /** CPU seconds of the database's server processes for this database in that time. */
  databaseCpuS: number;
  /** From the first message sent to the last figure stored, ms. */
  wallMs: number;
  /** Growth of vpn_stats and network_devices (tables and indexes) for the round. */
  bytes: number;
}

async function relationBytes(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ bytes: string }[]>`SELECT pg_total_relation_size('vpn_stats') + pg_total_relation_size('network_devices') AS bytes`;
  return Number(row!.bytes);
}

async function databaseCpu(sql: postgres.Sql): Promise<number> {
  const pids = await sql<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  return pids.reduce((sum, { pid }) => sum + (cpuSeconds(pid) || 0), 0);
}

/**
 * Sends `rounds` rounds of figures for every key of `keys` on one Stats stream, as a gateway with that
 * many connected peers does every stats period, each round with new figures; waits until each is stored.
 */
export async function sendStatsRounds(sql: postgres.Sql, grpcPort: number, token: string, corePid: number, networkId: number, keys: string[], rounds: number): Promise<StatsRound[]> {
  const client = gatewayClient(grpcPort);
  const call = client.Stats(gatewayMetadata(token, "bench-stats"), () => {});
  call.on("error", () => {});
  const results: StatsRound[] = [];
  let id = 1;
  try {
    for (let round = 1; round <= rounds; round++) {
      const marker = 1_000_000 * round;
      const bytesBefore = await relationBytes(sql);
      const [cpuBefore, dbCpuBefore] = [cpuSeconds(corePid), await databaseCpu(sql)];
      const started = performance.now();
      const handshake = Math.floor(Date.now() / 1000);
      keys.forEach((key, i) => {
        call.write({
          id: ++id,
          peer_stats: { public_key: key, endpoint: `198.18.1.${i % 250}:${40000 + (i % 20000)}`, upload: marker + i, download: marker + 2 * i, keepalive_interval: 25, latest_handshake: handshake, allowed_ips: "" },
        });
      });
      for (;;) {
        const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM network_devices WHERE network_id = ${networkId} AND upload >= ${marker} AND upload < ${marker + 1_000_000}`;
        if (row!.n >= keys.length) break;
        await Bun.sleep(50);
      }
      const wallMs = performance.now() - started;
      results.push({ coreCpuS: cpuSeconds(corePid) - cpuBefore, databaseCpuS: (await databaseCpu(sql)) - dbCpuBefore, wallMs, bytes: (await relationBytes(sql)) - bytesBefore });
    }
  } finally {
    call.end();
    client.close();
  }
  return results;
}

/** Time `wg setconf` takes to give a fresh wireguard-go interface in `ns` the same peers, in one command. */
export async function timeWgSetconf(lab: NetnsLab, ns: string, peers: { pubkey: string; allowedIps: string[] }[]): Promise<number> {
  const ifname = lab.name("wgb");
  const wireguardGo = await startWireguardGo(lab, ns, ifname);
  const file = join(tmpdir(), `dg-bench-${lab.id}.conf`);
  try {
    const lines = ["[Interface]", `PrivateKey = ${randomKey()}`, "ListenPort = 51900"];
    for (const peer of peers) lines.push("", "[Peer]", `PublicKey = ${peer.pubkey}`, `AllowedIPs = ${peer.allowedIps.join(", ")}`);
    writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
    const started = performance.now();
    await lab.exec(ns, ["wg", "setconf", ifname, file]);
    return performance.now() - started;
  } finally {
    rmSync(file, { force: true });
    await wireguardGo.stop();
  }
}
