// Where the CPU went during an enrollment run: the core split by thread (its JavaScript thread, the
// "Bun Pool" threads where Bun.password hashes, the rest: JIT, GC), the proxy, the PostgreSQL backends
// serving the core, and the whole machine (which, on a shared machine, counts other people's work too).
// All from /proc (Linux); NaN elsewhere.
import { readdirSync, readFileSync } from "node:fs";
import type postgres from "postgres";
import { cpuSeconds } from "./machine.ts";

const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuSplit {
  proxy: number;
  coreMain: number;
  /** Of coreMain, in the kernel (system calls: on loopback a socket write also runs the receiver's TCP input). */
  coreMainSystem: number;
  /** Bun's thread pool: Bun.password.hash runs there. */
  corePool: number;
  /** JIT, GC and threads that ended. */
  coreOther: number;
  postgres: number;
  machine: number;
}

/** utime and stime of a /proc stat line, seconds. */
function statSeconds(stat: string): { user: number; system: number } {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
}

/**
 * CPU seconds of `pid` in all (threads that ended included), of its main thread (and of that, in the
 * kernel: socket writes to PostgreSQL and the proxy) and of its "Bun Pool" threads.
 */
export function threadCpuSeconds(pid: number): { total: number; main: number; mainSystem: number; pool: number } {
  const split = { total: cpuSeconds(pid), main: 0, mainSystem: 0, pool: 0 };
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const { user, system } = statSeconds(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8"));
      if (Number(tid) === pid) Object.assign(split, { main: user + system, mainSystem: system });
      else if (readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").startsWith("Bun Pool")) split.pool += user + system;
    }
  } catch {
    return { total: Number.NaN, main: Number.NaN, mainSystem: Number.NaN, pool: Number.NaN };
  }
  return split;
}

/** Busy CPU time of all cores so far, seconds. */
function machineSeconds(): number {
  try {
    // cpu user nice system idle iowait irq softirq steal ...
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return (fields.reduce((sum, value) => sum + value, 0) - fields[3]! - fields[4]!) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of each backend of `sql`'s database other than `sql`'s own connection, by pid. */
async function backendSeconds(sql: postgres.Sql | undefined): Promise<Map<number, number>> {
  if (!sql) return new Map([[0, Number.NaN]]);
  const rows = await sql<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return new Map(rows.map((row) => [row.pid, cpuSeconds(row.pid)]));
}

async function snapshot(pids: { proxy: number; core: number }, sql: postgres.Sql | undefined) {
  const core = threadCpuSeconds(pids.core);
  return { proxy: cpuSeconds(pids.proxy), core, backends: await backendSeconds(sql), machine: machineSeconds() };
}

/**
 * Starts measuring; `stop()` gives the CPU seconds each part used since. A backend that appeared meanwhile
 * counts from zero; one that ended meanwhile is missed (the core's pool keeps its connections). Without
 * `sql` (an embedded database, inside the core) the PostgreSQL figure is NaN.
 */
export async function startCpuMeter(pids: { proxy: number; core: number }, sql: postgres.Sql | undefined): Promise<{ stop(): Promise<CpuSplit> }> {
  const before = await snapshot(pids, sql);
  return {
    async stop() {
      const after = await snapshot(pids, sql);
      let postgresSeconds = 0;
      for (const [pid, seconds] of after.backends) postgresSeconds += seconds - (before.backends.get(pid) ?? 0);
      const coreMain = after.core.main - before.core.main;
      const corePool = after.core.pool - before.core.pool;
      return {
        proxy: after.proxy - before.proxy,
        coreMain,
        coreMainSystem: after.core.mainSystem - before.core.mainSystem,
        corePool,
        coreOther: after.core.total - before.core.total - coreMain - corePool,
        postgres: postgresSeconds,
        machine: after.machine - before.machine,
      };
    },
  };
}
