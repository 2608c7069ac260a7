// The limit Argon2id hashing alone sets on this machine, measured twice over (one hash at a time, and every
// core hashing at once), before and after the enrollment load. The share of the limit an enrollment rate
// reaches is computed against the highest of these figures, so that a measurement slowed by a busy moment
// (seen here: one hash took 26 ms in one run and 35 ms in the next) cannot flatter the result.
import { ARGON2_PARAMS } from "../core/users/passwords.ts";
import { median } from "./report.ts";

const SINGLE_SAMPLES = 20;
/** Hashes each core does in the parallel measurement. */
const PARALLEL_ROUNDS = 15;

export interface HashLimit {
  /** Median time of one hash at ARGON2_PARAMS, nothing else of ours running, ms. */
  singleMs: number;
  /** Hashes per second with as many hashes in flight as there are cores. */
  parallelPerSecond: number;
}

/** OWASP's minimum for Argon2id with one lane: 19 MiB, 2 passes. */
export const OWASP_MINIMUM = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;

/** One measurement of both figures, in this process, at ARGON2_PARAMS unless told otherwise. */
export async function measureHashLimit(cores: number, params: Bun.Password.Argon2Algorithm = ARGON2_PARAMS): Promise<HashLimit> {
  const hashOnce = (i: number) => Bun.password.hash(`Bench-hash-${i}-7a!`, params);
  const times: number[] = [];
  for (let i = 0; i < SINGLE_SAMPLES; i++) {
    const started = performance.now();
    await hashOnce(i);
    times.push(performance.now() - started);
  }
  const started = performance.now();
  await Promise.all(
    Array.from({ length: cores }, async (_, lane) => {
      for (let i = 0; i < PARALLEL_ROUNDS; i++) await hashOnce(lane * PARALLEL_ROUNDS + i);
    }),
  );
  const parallelPerSecond = (cores * PARALLEL_ROUNDS * 1000) / (performance.now() - started);
  return { singleMs: median(times), parallelPerSecond };
}

/** Enrollments per second if hashing were the only work: the highest figure of all the measurements. */
export function hashingLimit(measurements: HashLimit[], cores: number): number {
  return Math.max(...measurements.flatMap((m) => [(cores * 1000) / m.singleMs, m.parallelPerSecond]));
}
