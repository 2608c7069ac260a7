// Prints the enrollment section of the bench: each concurrency level's rate and latency beside the limit
// Argon2id hashing alone sets (cores / one hash, see hash-limit.ts), against issue 3's target of 80 % of it.
import type { ARGON2_PARAMS } from "../core/users/passwords.ts";
import type { CpuSplit } from "./enrollment-cpu.ts";
import type { EnrollmentLoadResult } from "./enrollment-load.ts";
import { type HashLimit, OWASP_MINIMUM } from "./hash-limit.ts";
import { table } from "./report.ts";

export interface EnrollmentLevel {
  result: EnrollmentLoadResult;
  /** CPU seconds each part used over the whole run, warm-up included. */
  cpuSeconds: CpuSplit & { loadGenerator: number };
  /** Length of the whole run, warm-up included. */
  wallSeconds: number;
}

export interface EnrollmentReport {
  database: string;
  argon2: typeof ARGON2_PARAMS;
  /** The hashing measurements, before and after the load. */
  hash: HashLimit[];
  /** One measurement at OWASP's minimum parameters, before the load, for context. */
  owaspMinimum: HashLimit;
  cores: number;
  /** Enrollments per second if hashing were the only work: the highest of the measurements (hashingLimit). */
  limitPerSecond: number;
  seconds: number;
  warmupSeconds: number;
  loadAverage: { before: number[]; after: number[] };
  levels: EnrollmentLevel[];
}

const TARGET_SHARE = 0.8;

const ms = (value: number) => `${value.toFixed(1)} ms`;
const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
const fixed = (values: number[], digits = 2) => values.map((v) => v.toFixed(digits)).join(" / ");

/** CPU per enrollment of each part, and what their sum allows on this machine's cores. */
function cpuRows(report: EnrollmentReport, level: EnrollmentLevel): string[][] {
  const c = level.cpuSeconds;
  const per = (seconds: number) => (seconds * 1000) / Math.max(1, level.result.totalEnrollments);
  const parts = [c.proxy, c.coreMain, c.corePool, c.coreOther, c.postgres, c.loadGenerator];
  const ours = parts.reduce((sum, value) => sum + value, 0);
  const others = (c.machine - ours) / level.wallSeconds;
  return [
    ["  CPU per enrollment: proxy / core JS thread / core hashing threads / core other", fixed(parts.slice(0, 4).map(per)) + " ms", "", ""],
    ["  of the core JS thread, in the kernel (system calls)", ms(per(c.coreMainSystem)), "", ""],
    ["  CPU per enrollment: PostgreSQL backends / load generator", fixed(parts.slice(4).map(per)) + " ms", "", ""],
    ["  CPU per enrollment, all of the above", `${per(ours).toFixed(2)} ms: at most ${((report.cores * 1000) / per(ours)).toFixed(1)}/s on ${report.cores} cores`, "", ""],
    // At rate r the cores give each enrollment cores/r of CPU: 80 % of the limit leaves cores/(0.8 limit) in
    // all, of which the hashing threads took what they took under load.
    ["  of it not hashing (all but the hashing threads)", ms(per(ours - c.corePool)), `<= ${ms((report.cores * 1000) / (TARGET_SHARE * report.limitPerSecond) - per(c.corePool))}`, ""],
    ["  machine busy / of it not ours (other users of the machine)", `${(c.machine / level.wallSeconds).toFixed(2)} / ${others.toFixed(2)} cores`, "", ""],
  ];
}

function levelRows(report: EnrollmentReport, level: EnrollmentLevel): string[][] {
  const r = level.result;
  const share = r.perSecond / report.limitPerSecond;
  const failures = Object.entries(r.failures).map(([what, count]) => `${what}: ${count}`);
  const rows = [
    [`${r.concurrency} concurrent: complete enrollments/s`, `${r.perSecond.toFixed(1)} (${r.completed} in ${report.seconds} s)`, "", ""],
    ["  share of the hashing limit", pct(share), `>= ${TARGET_SHARE * 100} %`, share >= TARGET_SHARE ? "met" : "MISSED"],
    ["  whole enrollment p50 / p90 / p99 / max", `${ms(r.p50Ms)} / ${ms(r.p90Ms)} / ${ms(r.p99Ms)} / ${ms(r.maxMs)}`, "", ""],
    ["  step p50: start / create_device / activate_user", `${ms(r.stepP50Ms.start)} / ${ms(r.stepP50Ms.createDevice)} / ${ms(r.stepP50Ms.activateUser)}`, "", ""],
    ...cpuRows(report, level),
  ];
  if (failures.length > 0) rows.push(["  failed enrollments", failures.join(", "), "none", "MISSED"]);
  if (r.exhausted) rows.push(["  tokens ran out before the time did", "yes: rate not steady-state", "", ""]);
  return rows;
}

export function printEnrollmentReport(report: EnrollmentReport): void {
  const { argon2 } = report;
  const scaling = (h: HashLimit) => h.parallelPerSecond / ((report.cores * 1000) / h.singleMs);
  const owaspOrStronger = argon2.memoryCost >= OWASP_MINIMUM.memoryCost && argon2.timeCost >= OWASP_MINIMUM.timeCost;
  const best = Math.max(...report.levels.map((level) => level.result.perSecond));
  const rows = [
    ["measurement", "value", "target", ""],
    [`one Argon2id hash (m=${argon2.memoryCost} KiB, t=${argon2.timeCost}, p=1), median of 20: before / after the load`, report.hash.map((h) => ms(h.singleMs)).join(" / "), "", ""],
    [`  so ${report.cores} cores / one hash`, report.hash.map((h) => `${((report.cores * 1000) / h.singleMs).toFixed(1)}/s`).join(" / "), "", ""],
    [`hashes/s with ${report.cores} in flight: before / after the load`, report.hash.map((h) => `${h.parallelPerSecond.toFixed(1)}/s`).join(" / "), "", ""],
    ["hashing parameters", `m=${argon2.memoryCost}, t=${argon2.timeCost}`, `OWASP: m>=${OWASP_MINIMUM.memoryCost}, t>=${OWASP_MINIMUM.timeCost}`, owaspOrStronger ? "met" : "MISSED"],
    // How far hashing scales over the cores, at the parameters used and at OWASP's minimum (context).
    ["hashes/s with every core hashing / cores / one hash: before the load", pct(scaling(report.hash[0]!)), "", ""],
    [`  the same at OWASP's minimum (m=${OWASP_MINIMUM.memoryCost}, t=${OWASP_MINIMUM.timeCost}; one hash ${ms(report.owaspMinimum.singleMs)})`, pct(scaling(report.owaspMinimum)), "", ""],
    ["hashing limit: the highest of the four figures above", `${report.limitPerSecond.toFixed(1)} enrollments/s`, "", ""],
    ...report.levels.flatMap((level) => levelRows(report, level)),
    ["best level / hashing limit", pct(best / report.limitPerSecond), `>= ${TARGET_SHARE * 100} %`, best / report.limitPerSecond >= TARGET_SHARE ? "met" : "MISSED"],
    // For context, not the target: what hashing alone does when every core hashes, which cores / one hash
    // overstates when the cores do not scale (shared caches, memory bandwidth, all-core clocks).
    ["  best level / best hashes/s with every core hashing (context)", pct(best / Math.max(...report.hash.map((h) => h.parallelPerSecond))), "", ""],
  ];
  const out = [
    "",
    "Enrollment: start -> create_device (fresh X25519 key) -> activate_user (Argon2id), through the Proxy's HTTP API",
    `Database of the core: ${report.database}; one /16 network, users and tokens made through the admin API before timing`,
    `Load: ${report.seconds} s measured per level after ${report.warmupSeconds} s warm-up, from a separate process (bench/enrollment-load.ts)`,
    `Load average (1/5/15 min) before: ${fixed(report.loadAverage.before)}; after: ${fixed(report.loadAverage.after)}`,
    "",
    table(rows),
    "",
  ];
  process.stdout.write(out.join("\n"));
}
