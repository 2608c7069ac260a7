// The enrollment bench's load generator, its own process so that it shares no event loop with what it
// measures: N virtual users, each taking the next prepared enrollment token and walking the whole
// enrollment through the Proxy's public API as the enrollment page does (start, keeping the
// `defguard_proxy` cookie; create_device with a fresh X25519 key; activate_user with a strong password),
// then the next token, for a bounded time, each on its own keep-alive connection (http-connection.ts).
// Reads its options (tokens included: secrets stay out of argv) as JSON on stdin; prints one JSON line.
import { generateKeyPair } from "../core/wireguard/keys.ts";
import { randomBytes } from "node:crypto";
import { HttpConnection } from "./http-connection.ts";
import { percentile } from "./load.ts";

export interface EnrollmentLoadOptions {
  /** The Proxy's public base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  concurrency: number;
  durationMs: number;
  /** Enrollments that start in this first period are done but not counted. */
  warmupMs: number;
  /** Unused enrollment tokens, one per enrollment; a virtual user stops when none is left. */
  tokens: string[];
}

export interface EnrollmentLoadResult {
  concurrency: number;
  /** Enrollments started after the warm-up and completed before the end. */
  completed: number;
  /** Completed enrollments per second of the measured period. */
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Median time of each step, ms: where an enrollment's time goes. */
  stepP50Ms: { start: number; createDevice: number; activateUser: number };
  /** Failed steps by `step status`, e.g. `create_device 500`; none expected. */
  failures: Record<string, number>;
  /** True when the tokens ran out before the time did (the rate is then not a steady-state figure). */
  exhausted: boolean;
  /** Enrollments done over the whole run, warm-up included. */
  totalEnrollments: number;
  /** CPU time this load generator used over the whole run (X25519 keys included), seconds. */
  cpuSeconds: number;
}

const ENROLLMENT_COOKIE = "defguard_proxy";

/** A WireGuard public key as a client makes one: X25519, the raw 32 bytes in standard base64. */
export function newDeviceKey(): string {
  return generateKeyPair().publicKey;
}

/** 8+ characters with lower, upper, digit and punctuation: passes the password policy. */
function strongPassword(): string {
  return `Bench-${randomBytes(9).toString("base64url")}-7a!`;
}

class StepFailed extends Error {}

/** POSTs JSON; resolves with the cookie the answer set (if any); throws StepFailed on a non-200. */
async function step(connection: HttpConnection, path: string, body: unknown, cookie: string | undefined, name: string): Promise<string | undefined> {
  let answer: Awaited<ReturnType<HttpConnection["post"]>>;
  try {
    answer = await connection.post(path, JSON.stringify(body), cookie);
  } catch {
    throw new StepFailed(`${name} no answer`);
  }
  if (answer.status !== 200) throw new StepFailed(`${name} ${answer.status}`);
  return answer.cookies.find((pair) => pair.startsWith(`${ENROLLMENT_COOKIE}=`));
}

/** One whole enrollment on `connection`; the time of each step in ms. */
async function enroll(connection: HttpConnection, token: string, pubkey: string): Promise<[number, number, number]> {
  const t0 = performance.now();
  const cookie = await step(connection, "/api/v1/enrollment/start", { token }, undefined, "start");
  if (!cookie) throw new StepFailed("start set no cookie");
  const t1 = performance.now();
  await step(connection, "/api/v1/enrollment/create_device", { name: "bench laptop", pubkey }, cookie, "create_device");
  const t2 = performance.now();
  await step(connection, "/api/v1/enrollment/activate_user", { password: strongPassword() }, cookie, "activate_user");
  return [t1 - t0, t2 - t1, performance.now() - t2];
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const median = (values: number[]) => percentile(Float64Array.from(values).sort(), 0.5);

export async function runEnrollmentLoad(options: EnrollmentLoadOptions): Promise<EnrollmentLoadResult> {
  const latencies: number[] = [];
  const steps: [number[], number[], number[]] = [[], [], []];
  const failures: Record<string, number> = {};
  const tokens = options.tokens.slice();
  let exhausted = false;
  let totalEnrollments = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const countFrom = start + options.warmupMs;
  const end = countFrom + options.durationMs;
  const virtualUser = async () => {
    let connection = await HttpConnection.open(new URL(options.url));
    while (performance.now() < end) {
      const token = tokens.pop();
      if (token === undefined) {
        exhausted = true;
        return;
      }
      const pubkey = newDeviceKey(); // the client's own work, before it talks to the Proxy
      const began = performance.now();
      try {
        const times = await enroll(connection, token, pubkey);
        const done = performance.now();
        totalEnrollments += 1;
        if (began < countFrom || done > end) continue;
        latencies.push(done - began);
        times.forEach((ms, i) => steps[i]!.push(ms));
      } catch (err) {
        const key = err instanceof StepFailed ? err.message : `error ${(err as Error).message}`;
        failures[key] = (failures[key] ?? 0) + 1;
        // The answer may have been cut: go on with a new connection.
        connection.close();
        connection = await HttpConnection.open(new URL(options.url));
      }
    }
    connection.close();
  };
  await Promise.all(Array.from({ length: options.concurrency }, virtualUser));
  const cpu = process.cpuUsage(cpuBefore);
  const sorted = Float64Array.from(latencies).sort();
  const seconds = options.durationMs / 1000;
  return {
    concurrency: options.concurrency,
    completed: latencies.length,
    perSecond: round(latencies.length / seconds),
    p50Ms: round(percentile(sorted, 0.5)),
    p90Ms: round(percentile(sorted, 0.9)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    stepP50Ms: { start: round(median(steps[0])), createDevice: round(median(steps[1])), activateUser: round(median(steps[2])) },
    failures,
    exhausted,
    totalEnrollments,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

if (import.meta.main) {
  const options = JSON.parse(await Bun.stdin.text()) as EnrollmentLoadOptions;
  process.stdout.write(`${JSON.stringify(await runEnrollmentLoad(options))}\n`);
}
