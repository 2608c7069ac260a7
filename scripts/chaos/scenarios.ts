// The fault scenarios beside the restarts: a half-open link (the proxy frozen with SIGSTOP), a Core that
// never answers, and a misbehaving peer (an oversized message, a flood of answers nobody asked for).
import * as grpc from "@grpc/grpc-js";
import { codec } from "../../shared/proto.ts";
import { SYSTEM_HEADER, VERSION_HEADER } from "../../shared/version.ts";
import { connectTestCore } from "../../test/support/test-core.ts";
import type { LoadGenerator } from "./load.ts";
import { CORE_TIMEOUT_MS, type ProcessSample, type Stack, sample } from "./stack.ts";

const SCENARIO_TIMEOUT_MS = 60_000;
const GRPC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface HalfOpenFigures {
  /** SIGSTOP -> the core logs the link lost. */
  detectMs: number;
  /** The cause the core logged. */
  cause: string;
  /** SIGCONT -> the core connected again. */
  redialMs: number;
}

/** Freezes the proxy (load paused: a frozen proxy answers nobody), waits for the core to notice, thaws it. */
export async function halfOpen(stack: Stack, load: LoadGenerator): Promise<HalfOpenFigures> {
  load.pause();
  await Bun.sleep(CORE_TIMEOUT_MS); // requests already sent finish
  const core = stack.core!;
  const from = core.lines.length;
  stack.proxy!.process.kill("SIGSTOP");
  const stopped = performance.now();
  const line = await core.waitFor("Disconnected from proxy at", { from, timeoutMs: SCENARIO_TIMEOUT_MS });
  const detectMs = performance.now() - stopped;
  const after = core.lines.length;
  stack.proxy!.process.kill("SIGCONT");
  const resumed = performance.now();
  await core.waitFor("Connected to proxy at", { from: after, timeoutMs: SCENARIO_TIMEOUT_MS });
  const redialMs = performance.now() - resumed;
  load.resume();
  const cause = /Disconnected from proxy at \S+: (.*); reconnecting/.exec(line)?.[1] ?? line;
  return { detectMs, cause, redialMs };
}

export interface SilentCoreFigures {
  requests: number;
  byStatus: Record<string, number>;
  longestWaitMs: number;
  pendingAfter: number;
  proxy: [ProcessSample, ProcessSample];
}

async function proxyMetric(stack: Stack, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${stack.ports.metrics}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
}

/** The real core stopped; a Core that accepts every request and answers none: all must end as 504. */
export async function silentCore(stack: Stack, requests: number, concurrency: number): Promise<SilentCoreFigures> {
  await stack.stopCore();
  const fake = connectTestCore({ target: `127.0.0.1:${stack.ports.grpc}`, answer: () => undefined });
  await fake.headers;
  const before = sample(stack.proxy!.process.pid);
  const byStatus: Record<string, number> = {};
  let longestWaitMs = 0;
  let next = 0;
  const worker = async () => {
    while (next++ < requests) {
      const started = performance.now();
      // Connection: close, so the proxy's descriptors afterwards count what it holds, not our pool.
      const headers = { "content-type": "application/json", connection: "close" };
      const res = await fetch(`${stack.baseUrl}/api/v1/poll`, { method: "POST", headers, body: '{"token":"never-answered"}', signal: AbortSignal.timeout(CORE_TIMEOUT_MS * 3) }).catch(() => null);
      await res?.arrayBuffer();
      const key = res ? String(res.status) : "no answer";
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      longestWaitMs = Math.max(longestWaitMs, performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const pendingAfter = await proxyMetric(stack, "defguard_proxy_pending_requests");
  const after = sample(stack.proxy!.process.pid);
  fake.close();
  await stack.startCore();
  await stack.coreConnected(0);
  return { requests, byStatus, longestWaitMs, pendingAfter, proxy: [before, after] };
}

export interface MisbehavingPeerFigures {
  oversizedStatus: string;
  /** Messages per flood; the flood runs twice, so that growth that does not repeat is told from a leak. */
  floodMessages: number;
  floodMs: number;
  healthDuringFlood: number;
  /** The proxy before the oversized message, after it, after the first and after the second flood. */
  proxy: ProcessSample[];
  proxyAlive: boolean;
}

function rawCall(target: string) {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), { "grpc.max_send_message_length": -1 });
  const metadata = new grpc.Metadata();
  metadata.set(VERSION_HEADER, "1.6.0");
  metadata.set(SYSTEM_HEADER, "Linux;6.1;x86_64");
  const identity = (b: Buffer) => b;
  const call = client.makeBidiStreamRequest("/defguard.proxy.Proxy/Bidi", identity, identity, metadata);
  call.on("error", () => {});
  call.on("data", () => {});
  const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
  return { call, status, close: () => (call.cancel(), client.close()) };
}

/** `messages` answers with unknown ids, as fast as the link takes them; resolves with the time it took. */
async function flood(target: string, messages: number): Promise<number> {
  const peer = rawCall(target);
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const message = codec.encodeCoreResponse({ id: 1_000_000_000 + i, core_error: { status_code: 2, message: "flood" } });
    if (!peer.call.write(message)) await new Promise((resolve) => peer.call.once("drain", resolve));
  }
  peer.call.end();
  await Promise.race([peer.status, Bun.sleep(SCENARIO_TIMEOUT_MS)]);
  peer.close();
  return performance.now() - started;
}

/** A message over the 4 MiB limit, then two floods of `floodMessages` answers nobody asked for. */
export async function misbehavingPeer(stack: Stack, floodMessages: number): Promise<MisbehavingPeerFigures> {
  const target = `127.0.0.1:${stack.ports.grpc}`;
  const pid = stack.proxy!.process.pid;
  const samples = [sample(pid)];
  const big = rawCall(target);
  big.call.write(Buffer.alloc(GRPC_MAX_MESSAGE_BYTES + 1024, 0x0a));
  const oversizedStatus = grpc.status[(await big.status).code] ?? "unknown";
  big.close();
  samples.push(sample(pid));
  const health = fetch(`${stack.baseUrl}/api/v1/health`).then((r) => r.status, () => 0);
  const floodMs = await flood(target, floodMessages);
  samples.push(sample(pid));
  await flood(target, floodMessages);
  samples.push(sample(pid));
  const healthDuringFlood = await health;
  const proxyAlive = (await fetch(`${stack.baseUrl}/api/v1/health`).then((r) => r.status, () => 0)) === 200;
  return { oversizedStatus, floodMessages, floodMs, healthDuringFlood, proxy: samples, proxyAlive };
}
