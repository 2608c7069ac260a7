// How busy the whole machine was over a period, from /proc/stat: the enrollment bench shares its cores
// with PostgreSQL (and, on a shared machine, with whatever else runs), which per-process figures miss.
import { readFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100;

/** Busy and total CPU time of all cores so far, in clock ticks; undefined where /proc is not available. */
function cpuTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    // cpu user nice system idle iowait irq softirq steal ...
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    const idle = fields[3]! + fields[4]!;
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Starts measuring; `stop()` gives the cores kept busy on average since, all processes together (NaN without /proc). */
export function machineBusyCores(): { stop(): number } {
  const before = cpuTicks();
  const started = performance.now();
  return {
    stop() {
      const after = cpuTicks();
      if (!before || !after) return Number.NaN;
      const seconds = (performance.now() - started) / 1000;
      return (after.busy - before.busy) / CLOCK_TICKS_PER_SECOND / seconds;
    },
  };
}
