// The chaos run's summary table, and its verdict: every request answered (no hang), nothing pending at
// the end, the survivors' memory and descriptors flat, each misbehaving peer refused with the proxy alive.
import type { FuzzFigures } from "./fuzz.ts";
import type { LoadFigures } from "./load.ts";
import type { RestartFigures } from "./restarts.ts";
import type { HalfOpenFigures, MisbehavingPeerFigures, SilentCoreFigures } from "./scenarios.ts";
import type { ProcessSample } from "./stack.ts";

/** Growth of a survivor above which the report calls it a leak (Bun's heap moves by a few MiB). */
const RSS_GROWTH_LIMIT_KIB = 32 * 1024;
const FD_GROWTH_LIMIT = 5;

export interface ChaosReport {
  load: LoadFigures;
  restarts: RestartFigures;
  half: HalfOpenFigures;
  silent: SilentCoreFigures;
  peer: MisbehavingPeerFigures;
  fuzz?: FuzzFigures;
  totalMs: number;
  coreTimeoutMs: number;
}

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
const ms = (value: number) => `${Math.round(value)} ms`;
const pair = ([a, b]: [ProcessSample, ProcessSample]) => `RSS ${mib(a.rssKiB)} -> ${mib(b.rssKiB)}, fds ${a.fds} -> ${b.fds}`;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function flat([a, b]: [ProcessSample, ProcessSample]): boolean {
  return b.rssKiB - a.rssKiB <= RSS_GROWTH_LIMIT_KIB && b.fds - a.fds <= FD_GROWTH_LIMIT;
}

function table(rows: [string, string, string][]): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: [string, string, string]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return rows.map(line).join("\n");
}

/** Prints the table to stdout; returns whether every check held. */
export function printReport(r: ChaosReport): boolean {
  const statuses = [...r.load.byStatus].sort().map(([s, n]) => `${s}: ${n}`).join(", ");
  const silentStatuses = Object.entries(r.silent.byStatus).map(([s, n]) => `${s}: ${n}`).join(", ");
  const checks: [string, boolean][] = [
    ["no request hung", r.load.hung === 0],
    [`longest wait within the Core timeout (${r.coreTimeoutMs} ms) + 3 s`, r.load.longestWaitMs < r.coreTimeoutMs + 3_000],
    ["core memory/fds flat through proxy restarts", flat(r.restarts.survivor.core)],
    ["proxy memory/fds flat through core restarts", flat(r.restarts.survivor.proxy)],
    ["silent Core: every request 504, none pending after", r.silent.byStatus["504"] === r.silent.requests && r.silent.pendingAfter === 0],
    ["silent Core: proxy memory flat", flat(r.silent.proxy)],
    ["oversized message refused (RESOURCE_EXHAUSTED)", r.peer.oversizedStatus === "RESOURCE_EXHAUSTED"],
    ["proxy alive after the flood", r.peer.proxyAlive],
    ["a second flood adds no memory to speak of (no leak)", flat([r.peer.proxy[2]!, r.peer.proxy[3]!])],
  ];
  if (r.fuzz) checks.push(["fuzz tests passed", r.fuzz.passed]);
  const rows: [string, string, string][] = [
    ["scenario", "figure", "value"],
    ["restarts", "proxy / core restarts", `${r.restarts.proxyRestarts} / ${r.restarts.coreRestarts} (alternating, then ${r.restarts.survivor.restarts} each with the other alive)`],
    ["", "requests sent", String(r.load.sent)],
    ["", "answered, by status", statuses],
    ["", "hung (no answer in time)", String(r.load.hung)],
    ["", "longest wait", ms(r.load.longestWaitMs)],
    ["", "proxy up -> core connected (alternating)", `median ${ms(percentile(r.restarts.reconnectAfterProxyMs, 50))}, p95 ${ms(percentile(r.restarts.reconnectAfterProxyMs, 95))}, max ${ms(Math.max(...r.restarts.reconnectAfterProxyMs))}`],
    ["", "proxy up -> core connected (link up 5 s before)", `median ${ms(percentile(r.restarts.reconnectAfterStableMs, 50))}, p95 ${ms(percentile(r.restarts.reconnectAfterStableMs, 95))}, max ${ms(Math.max(...r.restarts.reconnectAfterStableMs))}`],
    ["", "core spawned -> connected", `median ${ms(percentile(r.restarts.coreUpMs, 50))}, p95 ${ms(percentile(r.restarts.coreUpMs, 95))}`],
    ["", "proxy, first vs last incarnation", pair(r.restarts.incarnations.proxy)],
    ["", "core, first vs last incarnation", pair(r.restarts.incarnations.core)],
    ["", "core alive through proxy restarts", pair(r.restarts.survivor.core)],
    ["", "proxy alive through core restarts", pair(r.restarts.survivor.proxy)],
    ["half-open", "SIGSTOP -> core notices", `${ms(r.half.detectMs)} (${r.half.cause})`],
    ["", "SIGCONT -> core connected", ms(r.half.redialMs)],
    ["silent Core", "requests", `${r.silent.requests}: ${silentStatuses}; longest ${ms(r.silent.longestWaitMs)}`],
    ["", "pending after", String(r.silent.pendingAfter)],
    ["", "proxy", pair(r.silent.proxy)],
    ["bad peer", "4 MiB+ message", r.peer.oversizedStatus],
    ["", "flood of unknown answers", `2 x ${r.peer.floodMessages}, ${ms(r.peer.floodMs)} each; health during it: ${r.peer.healthDuringFlood}`],
    ["", "proxy: before, after 4 MiB, flood 1, flood 2", `RSS ${r.peer.proxy.map((p) => mib(p.rssKiB)).join(" -> ")}, fds ${r.peer.proxy.map((p) => p.fds).join(" -> ")}; alive: ${r.peer.proxyAlive}`],
  ];
  Object.entries(r.fuzz?.runs ?? {}).forEach(([name, run], i) => rows.push([i === 0 ? "fuzz" : "", name, `${run.runs} requests in ${ms(run.ms)}: ${run.statuses}`]));
  if (r.fuzz) rows.push(["", "bun test", r.fuzz.tail]);
  rows.push(["total", "run time", ms(r.totalMs)]);
  process.stdout.write(`\n${table(rows)}\n\n`);
  for (const [what, held] of checks) process.stdout.write(`${held ? "ok  " : "FAIL"}  ${what}\n`);
  if (r.load.unexpected.length) process.stdout.write(`note: unexpected statuses seen: ${r.load.unexpected.join(", ")}\n`);
  return checks.every(([, held]) => held);
}
