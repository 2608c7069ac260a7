// Prints the gateway section of the bench beside issue 15's targets.
import { percentile } from "./load.ts";
import type { AdditionTiming, GatewayBenchReport } from "./gateway.ts";
import { median, table } from "./report.ts";

const TARGET_ONE_CORE_P99_MS = 100;
const TARGET_TWO_CORES_P99_MS = 250;
const TARGET_CONFIG_MS = 1_000;
const TARGET_STATS_SHARE = 0.1;
/** Defguard's default stats period: one round every 30 s. */
const STATS_PERIOD_S = 30;
const ROUNDS_PER_DAY = 86_400 / STATS_PERIOD_S;
/** The Core keeps an hour of history (core/gateway/vpn-maintenance.ts). */
const ROUNDS_RETAINED = 3_600 / STATS_PERIOD_S;

const ms = (v: number) => `${v.toFixed(1)} ms`;
const mb = (v: number) => `${v.toFixed(1)} MB`;
const verdict = (met: boolean) => (met ? "met" : "missed");
const p = (values: number[], fraction: number) => percentile(Float64Array.from(values).sort(), fraction);

export function printGatewayReport(report: GatewayBenchReport, machine: string): void {
  const { additions, config, stats } = report;
  const summary = (timings: AdditionTiming[]) => {
    const applied = timings.map((t) => t.appliedMs);
    const received = timings.map((t) => t.receivedMs);
    const gateway = timings.map((t) => t.appliedMs - t.receivedMs);
    return { p50: p(applied, 0.5), p99: p(applied, 0.99), max: Math.max(...applied), receivedP50: p(received, 0.5), receivedP99: p(received, 0.99), gatewayP50: p(gateway, 0.5), gatewayP99: p(gateway, 0.99) };
  };
  const one = summary(additions.oneCore);
  const two = summary(additions.acrossCores);
  const configMs = median(config.ms);
  const later = stats.slice(1); // the first round also starts every VPN session (audited): reported apart
  const cpuPerRound = median(later.map((r) => r.coreCpuS));
  const share = cpuPerRound / STATS_PERIOD_S;
  const bytesPerRound = median(later.map((r) => r.bytes));
  const rows = [
    ["measurement", "value", "target", ""],
    [`admin adds a device → peer applied on the gateway, same Core (${report.samples}), p50 / p99 / max`, `${ms(one.p50)} / ${ms(one.p99)} / ${ms(one.max)}`, `p99 < ${TARGET_ONE_CORE_P99_MS} ms`, verdict(one.p99 < TARGET_ONE_CORE_P99_MS)],
    ["  of which until the gateway received it (Core) / applying it (gateway, `wg set`), p50 and p99", `${ms(one.receivedP50)} and ${ms(one.receivedP99)} / ${ms(one.gatewayP50)} and ${ms(one.gatewayP99)}`, "", ""],
    [`the same through another Core (NOTIFY), p50 / p99 / max`, `${ms(two.p50)} / ${ms(two.p99)} / ${ms(two.max)}`, `p99 < ${TARGET_TWO_CORES_P99_MS} ms`, verdict(two.p99 < TARGET_TWO_CORES_P99_MS)],
    ["  of which until the gateway received it (Cores) / applying it (gateway), p50 and p99", `${ms(two.receivedP50)} and ${ms(two.receivedP99)} / ${ms(two.gatewayP50)} and ${ms(two.gatewayP99)}`, "", ""],
    [`Config of ${config.peers} peers (median of ${config.ms.length}, max)`, `${ms(configMs)} (max ${ms(Math.max(...config.ms))}), ${(config.bytes / 1024).toFixed(0)} KiB`, `< ${TARGET_CONFIG_MS} ms`, verdict(configMs < TARGET_CONFIG_MS)],
    ["Core during Config: RSS before / peak, CPU per call", `${mb(config.coreRssBeforeMb)} / ${mb(config.coreRssPeakMb)}, ${ms(config.coreCpuMsPerCall)}`, "", ""],
    [`our gateway: dial → ${config.peers} peers on a fresh interface (wireguard-go)`, ms(report.agentApplyMs), "", ""],
    [`context: \`wg setconf\` of the same ${config.peers} peers, one command`, ms(report.wgSetconfMs), "", ""],
    [`stats of ${report.statsPeers} peers, first round (starts every session)`, `Core ${stats[0]!.coreCpuS.toFixed(2)} s CPU, PostgreSQL ${stats[0]!.databaseCpuS.toFixed(2)} s, stored in ${ms(stats[0]!.wallMs)}`, "", ""],
    [`stats, later rounds (median of ${later.length}): Core CPU per round`, `${cpuPerRound.toFixed(2)} s = ${(share * 100).toFixed(1)} % of one core every ${STATS_PERIOD_S} s`, `< ${TARGET_STATS_SHARE * 100} %`, verdict(share < TARGET_STATS_SHARE)],
    ["stats, later rounds: PostgreSQL CPU per round, stored in", `${median(later.map((r) => r.databaseCpuS)).toFixed(2)} s, ${ms(median(later.map((r) => r.wallMs)))}`, "", ""],
    ["database growth per round / per day (no purge) / kept (1 h history)", `${(bytesPerRound / 2 ** 20).toFixed(2)} MiB / ${((bytesPerRound * ROUNDS_PER_DAY) / 2 ** 30).toFixed(2)} GiB / ${((bytesPerRound * ROUNDS_RETAINED) / 2 ** 20).toFixed(0)} MiB`, "reported", ""],
  ];
  const load = `1-minute load average ${report.loadAverage.before.toFixed(1)} before, ${report.loadAverage.after.toFixed(1)} after`;
  process.stdout.write(`\nGateway section, ${machine}; ${load}\n\n${table(rows)}\n`);
}
