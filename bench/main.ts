// `bun run bench [--seconds 10] [--connections 32] [--restarts 10] [--levels 2,4,8] [--only link|enrollment|gateway|ui]`.
// Link section, the link's figures on loopback:
// (1) req/s and p50/p99 of HTTP -> proxy -> gRPC -> core -> back (client_mfa_token_validation, no
// database) beside a bare Bun.serve route answering the same JSON, with load from a separate process;
// (2) time from a proxy restart to the core connected again; (3) RSS of each process idle and under load.
// Enrollment section (bench/enrollment.ts): complete enrollments per second at each of `--levels`
// concurrent users, beside the limit Argon2id hashing sets.
// Gateway section (bench/gateway.ts; root and PostgreSQL): admin action → peer applied on our gateway,
// Config of 10,000 devices, stats of 10,000 peers per 30 s period; `--devices`, `--samples`, `--rounds`.
// UI section (bench/ui.ts): server time of each admin UI page with `--users` (10,000) users and twice as
// many devices, `--samples` requests each.
import { parseArgs } from "node:util";
import { createClientMfaTokens } from "../core/flows/client-mfa-token.ts";
import { STABLE_CONNECTION_MS } from "../shared/backoff.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { type ProxyProcess, type ServiceProcess, spawnService, startCoreProcess, startProxyProcess } from "../test/support/services.ts";
import { BENCH_ROUTE } from "./bench-route.ts";
import type { LoadResult } from "./load.ts";
import { cpuSeconds, logLineTime, machineDescription, rssMb, sampleRss } from "./machine.ts";
import { printReport } from "./report.ts";
import { runEnrollmentBench } from "./enrollment.ts";
import { printEnrollmentReport } from "./enrollment-report.ts";
import { runGatewayBench } from "./gateway.ts";
import { printGatewayReport } from "./gateway-report.ts";
import { printUiReport, runUiBench } from "./ui.ts";

const AUTH_SECRET = "bench-secret-of-at-least-32-characters!!";
const WARMUP_MS = 2_000;
const IDLE_SETTLE_MS = 1_000;
const BENCH_PROXY = "bench/bench-proxy.ts";
/** The bench measures the link, not the guessing limits: one token sent 100,000 times would be 429. */
const PROXY_ENV = { DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0", DEFGUARD_PROXY_RATELIMIT_PERSECOND: "0" };

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    restarts: { type: "string", default: "10" },
    levels: { type: "string", default: "2,4,8" },
    only: { type: "string" },
    devices: { type: "string", default: "10000" },
    samples: { type: "string", default: "200" },
    rounds: { type: "string", default: "4" },
    users: { type: "string", default: "10000" },
  },
});
const SECTIONS = ["link", "enrollment", "gateway", "ui"];
if (args.only !== undefined && !SECTIONS.includes(args.only)) throw new Error(`--only takes ${SECTIONS.join(", ")}`);
const runs = (section: string) => args.only === undefined || args.only === section;
const seconds = Number(args.seconds);
const connections = Number(args.connections);
const restarts = Number(args.restarts);

export interface LoadRun {
  result: LoadResult;
  /** Peak RSS of each of `pids`, MB. */
  peaks: number[];
  /** Cores each of `pids` kept busy during the run (CPU seconds / wall seconds). */
  cores: number[];
  /** CPU time each of `pids` spent per request of the run (warm-up included), microseconds. */
  cpuUsPerRequest: number[];
}

/** Runs bench/load.ts as its own process against `url`; samples RSS and CPU of `pids` meanwhile. */
async function load(url: string, body: string, pids: number[]): Promise<LoadRun> {
  const options = { url, body, connections, durationMs: seconds * 1000, warmupMs: WARMUP_MS };
  const sampler = sampleRss(pids);
  const child = Bun.spawn([process.execPath, "bench/load.ts", JSON.stringify(options)], { stdout: "pipe", stderr: "inherit" });
  const cpuBefore = pids.map(cpuSeconds);
  const wallBefore = performance.now();
  const output = await new Response(child.stdout).text();
  const cpuAfter = pids.map(cpuSeconds);
  const wall = (performance.now() - wallBefore) / 1000;
  const peaks = sampler.stop();
  if ((await child.exited) !== 0) throw new Error("the load generator failed");
  const result = JSON.parse(output) as LoadResult;
  const cpuUsed = cpuAfter.map((after, i) => after - cpuBefore[i]!);
  return {
    result,
    peaks,
    cores: cpuUsed.map((cpu) => cpu / wall),
    cpuUsPerRequest: cpuUsed.map((cpu) => (cpu * 1e6) / result.totalRequests),
  };
}

/** Restarts the proxy `restarts` times; each time, how long after it listens the core is connected again. */
async function measureRestarts(first: ProxyProcess, core: ServiceProcess): Promise<{ proxy: ProxyProcess; reconnectMs: number[]; outageMs: number[] }> {
  let proxy = first;
  const reconnectMs: number[] = [];
  const outageMs: number[] = [];
  for (let i = 0; i < restarts; i++) {
    // A connection that lived resets the backoff: restart a proxy that has been up a while, as in production.
    await Bun.sleep(STABLE_CONNECTION_MS + 500);
    const mark = core.lines.length;
    await proxy.stop();
    proxy = await startProxyProcess({ ...PROXY_ENV, DEFGUARD_PROXY_GRPC_PORT: String(first.grpcPort), DEFGUARD_PROXY_HTTP_PORT: String(first.httpPort) }, BENCH_PROXY);
    const listening = logLineTime(await proxy.waitFor("gRPC server is listening on"));
    const connected = logLineTime(await core.waitFor("Connected to proxy at", { from: mark }));
    const disconnected = logLineTime(await core.waitFor("Disconnected from proxy at", { from: mark }));
    reconnectMs.push(connected - listening);
    outageMs.push(connected - disconnected);
    process.stderr.write(`restart ${i + 1}/${restarts}: connected ${(connected - listening).toFixed(0)} ms after the proxy listened\n`);
  }
  return { proxy, reconnectMs, outageMs };
}

async function linkSection(): Promise<void> {
  const db = await createTestDatabase();
  await db.close();
  const started: ServiceProcess[] = [];
  try {
    let proxy = await startProxyProcess(PROXY_ENV, BENCH_PROXY);
    started.push(proxy);
    const core = startCoreProcess({ ...db.env, DEFGUARD_PROXY_URL: `http://127.0.0.1:${proxy.grpcPort}`, DEFGUARD_AUTH_SECRET: AUTH_SECRET });
    started.push(core);
    await core.waitFor("Connected to proxy at");
    await Bun.sleep(IDLE_SETTLE_MS);
    const idle = { proxy: rssMb(proxy.process.pid), core: rssMb(core.process.pid) };

    // Signed with another secret: the core checks the signature in full (HMAC-SHA256) and answers
    // token_valid false from memory. A genuine token would also look up its MFA session in the database.
    const token = await createClientMfaTokens(`${AUTH_SECRET}-forged`).signClientMfaToken({ pubkey: "bench", locationId: 1, method: 0 });
    const body = JSON.stringify({ token });
    process.stderr.write(`proxied load: ${connections} connections, ${seconds} s\n`);
    const proxied = await load(`http://127.0.0.1:${proxy.httpPort}${BENCH_ROUTE}`, body, [proxy.process.pid, core.process.pid]);

    const bare = spawnService("bare", "bench/bare-server.ts", {});
    started.push(bare);
    const barePort = Number(/:(\d+)$/.exec(await bare.waitFor("Bare server is listening on"))?.[1]);
    process.stderr.write(`bare load: ${connections} connections, ${seconds} s\n`);
    const bareRun = await load(`http://127.0.0.1:${barePort}/`, body, [bare.process.pid]);
    await bare.stop();

    const restartRun = await measureRestarts(proxy, core);
    proxy = restartRun.proxy;
    started.push(proxy);
    printReport({
      machine: machineDescription(),
      database: db.kind === "postgres" ? "PostgreSQL on 127.0.0.1:5432" : "embedded PGlite (inside the core process)",
      connections,
      seconds,
      warmupSeconds: WARMUP_MS / 1000,
      proxied: proxied.result,
      bare: bareRun.result,
      reconnectMs: restartRun.reconnectMs,
      outageMs: restartRun.outageMs,
      cores: {
        proxy: proxied.cores[0]!,
        core: proxied.cores[1]!,
        proxiedLoadGenerator: proxied.result.cores,
        bare: bareRun.cores[0]!,
        bareLoadGenerator: bareRun.result.cores,
      },
      cpuUsPerRequest: {
        proxy: proxied.cpuUsPerRequest[0]!,
        core: proxied.cpuUsPerRequest[1]!,
        proxiedLoadGenerator: proxied.result.cpuUsPerRequest,
        bare: bareRun.cpuUsPerRequest[0]!,
        bareLoadGenerator: bareRun.result.cpuUsPerRequest,
      },
      rss: { proxyIdle: idle.proxy, coreIdle: idle.core, proxyLoad: proxied.peaks[0]!, coreLoad: proxied.peaks[1]!, bareLoad: bareRun.peaks[0]! },
    });
  } finally {
    await Promise.all(started.map((service) => service.stop()));
    await db.cleanup();
  }
}

if (runs("link")) await linkSection();
if (runs("enrollment")) {
  const levels = args.levels.split(",").map(Number);
  printEnrollmentReport(await runEnrollmentBench({ levels, seconds, warmupMs: WARMUP_MS }));
}
if (runs("gateway")) {
  const options = { devices: Number(args.devices), samples: Number(args.samples), rounds: Number(args.rounds), configCalls: 10 };
  printGatewayReport(await runGatewayBench(options), machineDescription());
}
if (runs("ui")) {
  const users = Number(args.users);
  printUiReport(await runUiBench({ users, devices: 2 * users, samples: Number(args.samples) }), machineDescription());
}
