// The bench's load generator, run as its own process so that it does not share an event loop with what
// it measures: N concurrent request loops (one keep-alive connection each) POSTing one JSON body to one
// URL for a bounded time. Prints one JSON line: counts by status, requests per second, latency percentiles.
//   bun bench/load.ts '{"url":"http://127.0.0.1:8080/x","body":"{}","connections":32,"durationMs":10000,"warmupMs":2000}'

export interface LoadOptions {
  url: string;
  body: string;
  connections: number;
  durationMs: number;
  /** Requests during this first period are sent but not counted. */
  warmupMs: number;
}

export interface LoadResult {
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Cores this load generator kept busy over the whole run (warm-up included). */
  cores: number;
  /** Requests answered over the whole run, warm-up included (CPU per request divides by this). */
  totalRequests: number;
  /** This load generator's CPU time per request, microseconds. */
  cpuUsPerRequest: number;
}

/** The value below which `fraction` of the sorted `values` fall (nearest rank). */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let totalRequests = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const countFrom = start + options.warmupMs;
  const end = countFrom + options.durationMs;
  const loop = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      let status = "error";
      try {
        const response = await fetch(options.url, { method: "POST", headers: { "content-type": "application/json" }, body: options.body });
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        status = "error";
      }
      const done = performance.now();
      totalRequests += 1;
      if (sent < countFrom || done > end) continue;
      latencies.push(done - sent);
      if (status === "error") errors += 1;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuUs = cpu.user + cpu.system;
  const cores = cpuUs / 1000 / (performance.now() - start);
  const sorted = Float64Array.from(latencies).sort();
  const seconds = options.durationMs / 1000;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    requests: latencies.length,
    statuses,
    errors,
    seconds,
    rps: Math.round(latencies.length / seconds),
    p50Ms: round(percentile(sorted, 0.5)),
    p90Ms: round(percentile(sorted, 0.9)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    cores: Math.round(cores * 100) / 100,
    totalRequests,
    cpuUsPerRequest: Math.round((cpuUs / totalRequests) * 10) / 10,
  };
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
  process.stdout.write(`${JSON.stringify(await runLoad(options))}\n`);
}
