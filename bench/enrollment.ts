// The enrollment section of `bun run bench`: complete enrollments per second through the real Proxy and
// Core processes on a fresh PostgreSQL database, at a few concurrency levels, beside the limit Argon2id
// hashing alone puts on this machine (cores / time of one hash at ARGON2_PARAMS; see hash-limit.ts).
import { availableParallelism, loadavg } from "node:os";
import { ARGON2_PARAMS } from "../core/users/passwords.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { type ServiceProcess, startCoreProcess, startProxyProcess } from "../test/support/services.ts";
import type postgres from "postgres";
import { startCpuMeter } from "./enrollment-cpu.ts";
import type { EnrollmentLoadOptions, EnrollmentLoadResult } from "./enrollment-load.ts";
import type { EnrollmentLevel, EnrollmentReport } from "./enrollment-report.ts";
import { inviteUsers, prepareNetwork } from "./enrollment-setup.ts";
import { OWASP_MINIMUM, hashingLimit, measureHashLimit } from "./hash-limit.ts";

const ADMIN_PASSWORD = "Bench-admin-pass-1!";
const AUTH_SECRET = "bench-secret-of-at-least-32-characters!!";
/** Tokens prepared per level: this many times what the hashing limit could spend, so none run out. */
const TOKEN_HEADROOM = 1.5;
/** The bench measures enrollment, not the guessing limits or the per-IP rate limit (one IP here). */
const PROXY_ENV = {
  DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0",
  DEFGUARD_PROXY_RATELIMIT_PERSECOND: "0",
  DEFGUARD_PROXY_COOKIE_INSECURE: "true",
};

export interface EnrollmentBenchOptions {
  levels: number[];
  seconds: number;
  warmupMs: number;
}

/** Runs bench/enrollment-load.ts as its own process; tokens travel on stdin, never in argv. */
async function runLoadProcess(options: EnrollmentLoadOptions): Promise<EnrollmentLoadResult> {
  const child = Bun.spawn([process.execPath, "bench/enrollment-load.ts"], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
  child.stdin.write(JSON.stringify(options));
  await child.stdin.end();
  const output = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error("the enrollment load generator failed");
  return JSON.parse(output) as EnrollmentLoadResult;
}

async function startServices(env: Record<string, string>, started: ServiceProcess[]): Promise<{ proxyUrl: string; adminUrl: string }> {
  const proxy = await startProxyProcess(PROXY_ENV);
  started.push(proxy);
  const proxyUrl = `http://127.0.0.1:${proxy.httpPort}`;
  const core = startCoreProcess({
    ...env,
    DEFGUARD_PROXY_URL: `http://127.0.0.1:${proxy.grpcPort}`,
    DEFGUARD_AUTH_SECRET: AUTH_SECRET,
    DEFGUARD_DEFAULT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DEFGUARD_COOKIE_INSECURE: "true",
    DEFGUARD_ENROLLMENT_URL: proxyUrl,
  });
  started.push(core);
  const adminUrl = `http://127.0.0.1:${/:(\d+)\s*$/.exec(await core.waitFor("Admin API listening on"))?.[1]}`;
  await core.waitFor("Connected to proxy at");
  return { proxyUrl, adminUrl };
}

interface Stack {
  proxyUrl: string;
  adminUrl: string;
  pids: { proxy: number; core: number };
  /** A connection to the core's database, to find its backends; none on the embedded database. */
  sql: postgres.Sql | undefined;
}

/** One concurrency level: fresh tokens (untimed), then the load, with the CPU each part used. */
async function runLevel(
  stack: Stack,
  concurrency: number,
  tokenCount: number,
  options: EnrollmentBenchOptions,
): Promise<EnrollmentLevel> {
  process.stderr.write(`enrollment: preparing ${tokenCount} users for concurrency ${concurrency}\n`);
  const tokens = await inviteUsers(stack.adminUrl, ADMIN_PASSWORD, `bench-c${concurrency}`, tokenCount);
  process.stderr.write(`enrollment: ${concurrency} concurrent enrollments, ${options.seconds} s\n`);
  const meter = await startCpuMeter(stack.pids, stack.sql);
  const started = performance.now();
  const result = await runLoadProcess({ url: stack.proxyUrl, concurrency, durationMs: options.seconds * 1000, warmupMs: options.warmupMs, tokens });
  const wallSeconds = (performance.now() - started) / 1000;
  return { result, cpuSeconds: { ...(await meter.stop()), loadGenerator: result.cpuSeconds }, wallSeconds };
}

/** Starts a fresh database, proxy and core, runs each level, stops everything; the figures for the report. */
export async function runEnrollmentBench(options: EnrollmentBenchOptions): Promise<EnrollmentReport> {
  const loadBefore = loadavg();
  const cores = availableParallelism();
  process.stderr.write("enrollment: timing Argon2id hashes, one at a time and on every core\n");
  const hashBefore = await measureHashLimit(cores);
  // Context only: how hashing scales over the cores at OWASP's minimum, beside the parameters used.
  const owaspMinimum = await measureHashLimit(cores, OWASP_MINIMUM);
  const limitPerSecond = hashingLimit([hashBefore], cores);
  const tokensPerLevel = Math.ceil(limitPerSecond * (options.seconds + options.warmupMs / 1000) * TOKEN_HEADROOM);
  const db = await createTestDatabase();
  if (db.kind === "embedded") await db.close(); // the core opens the directory itself
  const started: ServiceProcess[] = [];
  try {
    const urls = await startServices(db.env, started);
    const stack: Stack = { ...urls, pids: { proxy: started[0]!.process.pid, core: started[1]!.process.pid }, sql: db.kind === "postgres" ? db.sql : undefined };
    await prepareNetwork(urls.adminUrl, ADMIN_PASSWORD);
    const levels: EnrollmentLevel[] = [];
    for (const concurrency of options.levels) {
      levels.push(await runLevel(stack, concurrency, tokensPerLevel + concurrency, options));
    }
    process.stderr.write("enrollment: timing Argon2id hashes again\n");
    const hash = [hashBefore, await measureHashLimit(cores)];
    return {
      database: db.kind === "postgres" ? "PostgreSQL on 127.0.0.1:5432" : "embedded PGlite (PostgreSQL did not answer)",
      argon2: ARGON2_PARAMS,
      hash,
      owaspMinimum,
      cores,
      limitPerSecond: hashingLimit(hash, cores),
      seconds: options.seconds,
      warmupSeconds: options.warmupMs / 1000,
      loadAverage: { before: loadBefore, after: loadavg() },
      levels,
    };
  } finally {
    await Promise.all(started.map((service) => service.stop()));
    await db.cleanup();
  }
}
