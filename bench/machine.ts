// What the bench reports about where it ran, and the resident memory of a process.
import { readFileSync } from "node:fs";
import { cpus, release, totalmem, type } from "node:os";

export function machineDescription(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return `${cpu}, ${cpus().length} cores, ${memoryGiB} GiB memory, ${type()} ${release()}, Bun ${Bun.version}`;
}

/** Resident set size of `pid` in MB (from /proc on Linux, else `ps`); NaN when the process is gone. */
export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    const ps = Bun.spawnSync(["ps", "-o", "rss=", "-p", String(pid)]);
    const kb = Number(ps.stdout.toString().trim());
    return ps.success && kb > 0 ? kb / 1024 : Number.NaN;
  }
}

/** Samples the RSS of `pids` every `intervalMs` until stopped; `stop()` returns the peak of each. */
export function sampleRss(pids: number[], intervalMs = 200): { stop(): number[] } {
  const peaks = pids.map((pid) => rssMb(pid));
  const timer = setInterval(() => {
    pids.forEach((pid, i) => {
      const now = rssMb(pid);
      if (!Number.isNaN(now)) peaks[i] = Number.isNaN(peaks[i]!) ? now : Math.max(peaks[i]!, now);
    });
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peaks;
    },
  };
}

/** Epoch milliseconds (with microseconds) of a tracing-style log line's leading timestamp. */
export function logLineTime(line: string): number {
  const match = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})(\d{3})?Z/.exec(line);
  if (!match) throw new Error(`no timestamp in log line: ${line}`);
  return Date.parse(`${match[1]}.${match[2]}Z`) + Number(match[3] ?? 0) / 1000;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) `pid` has used so far, in seconds; NaN where /proc is not available. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at ") "; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
