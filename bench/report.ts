// Prints the bench's figures as a table, each beside its target from issue 2.
import type { LoadResult } from "./load.ts";

export interface BenchReport {
  machine: string;
  database: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  proxied: LoadResult;
  bare: LoadResult;
  reconnectMs: number[];
  outageMs: number[];
  /** Cores kept busy during each load run, per process. */
  cores: { proxy: number; core: number; proxiedLoadGenerator: number; bare: number; bareLoadGenerator: number };
  /** CPU time per request, microseconds, per process: what bounds throughput on a small machine. */
  cpuUsPerRequest: { proxy: number; core: number; proxiedLoadGenerator: number; bare: number; bareLoadGenerator: number };
  rss: { proxyIdle: number; coreIdle: number; proxyLoad: number; coreLoad: number; bareLoad: number };
}

const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 5;
const TARGET_RECONNECT_MS = 500;
const TARGET_RSS_MB = 80;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const mb = (value: number) => `${value.toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const us = (value: number) => `${value.toFixed(1)} µs`;
const cores = (value: number) => `${value.toFixed(2)} cores`;
const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

function statuses(result: LoadResult): string {
  return Object.entries(result.statuses)
    .map(([status, count]) => `${status}: ${count}`)
    .join(", ");
}

/** A Markdown table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  const rule = `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join("\n");
}

export function printReport(report: BenchReport): void {
  const { proxied, bare, rss } = report;
  const ratio = proxied.rps / bare.rps;
  const reconnect = median(report.reconnectMs);
  const rows = [
    ["measurement", "value", "target", ""],
    ["proxied: HTTP -> proxy -> gRPC -> core -> back", `${proxied.rps} req/s`, "", ""],
    ["proxied latency p50 / p90 / p99 / max", `${ms(proxied.p50Ms)} / ${ms(proxied.p90Ms)} / ${ms(proxied.p99Ms)} / ${ms(proxied.maxMs)}`, "", ""],
    ["proxied p99", ms(proxied.p99Ms), `< ${TARGET_P99_MS} ms`, verdict(proxied.p99Ms < TARGET_P99_MS)],
    ["bare Bun.serve, same JSON", `${bare.rps} req/s`, "", ""],
    ["bare latency p50 / p90 / p99 / max", `${ms(bare.p50Ms)} / ${ms(bare.p90Ms)} / ${ms(bare.p99Ms)} / ${ms(bare.maxMs)}`, "", ""],
    ["proxied / bare throughput", `${(ratio * 100).toFixed(1)} %`, `>= ${TARGET_RATIO * 100} %`, verdict(ratio >= TARGET_RATIO)],
    [
      `reconnect after proxy restart, median of ${report.reconnectMs.length} (proxy listening -> core connected)`,
      ms(reconnect),
      `<= ${TARGET_RECONNECT_MS} ms`,
      verdict(reconnect <= TARGET_RECONNECT_MS),
    ],
    ["  min / max", `${ms(Math.min(...report.reconnectMs))} / ${ms(Math.max(...report.reconnectMs))}`, "", ""],
    ["link outage per restart, median (core disconnected -> connected)", ms(median(report.outageMs)), "", ""],
    ["RSS proxy idle / under load", `${mb(rss.proxyIdle)} / ${mb(rss.proxyLoad)}`, `< ${TARGET_RSS_MB} MB`, verdict(rss.proxyLoad < TARGET_RSS_MB)],
    ["RSS core idle / under load", `${mb(rss.coreIdle)} / ${mb(rss.coreLoad)}`, `< ${TARGET_RSS_MB} MB`, verdict(rss.coreLoad < TARGET_RSS_MB)],
    ["RSS bare server under load", mb(rss.bareLoad), "", ""],
    [
      "CPU during proxied load: proxy / core / load generator",
      `${cores(report.cores.proxy)} / ${cores(report.cores.core)} / ${cores(report.cores.proxiedLoadGenerator)}`,
      "",
      "",
    ],
    ["CPU during bare load: server / load generator", `${cores(report.cores.bare)} / ${cores(report.cores.bareLoadGenerator)}`, "", ""],
    [
      "CPU per proxied request: proxy / core / load generator",
      `${us(report.cpuUsPerRequest.proxy)} / ${us(report.cpuUsPerRequest.core)} / ${us(report.cpuUsPerRequest.proxiedLoadGenerator)}`,
      "",
      "",
    ],
    ["CPU per bare request: server / load generator", `${us(report.cpuUsPerRequest.bare)} / ${us(report.cpuUsPerRequest.bareLoadGenerator)}`, "", ""],
  ];
  const out = [
    "",
    `Machine: ${report.machine}`,
    `Database of the core: ${report.database}`,
    `Load: ${report.connections} connections, ${report.seconds} s measured after ${report.warmupSeconds} s warm-up, from a separate process (bench/load.ts, fetch keep-alive)`,
    `Proxied answers by status: ${statuses(proxied)}; bare: ${statuses(bare)}`,
    "",
    table(rows),
    "",
  ];
  process.stdout.write(out.join("\n"));
}
