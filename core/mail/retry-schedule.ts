// When a mail that failed is tried again, and when it is given up: doubling delays, capped. Pure.

/** The delay after the first failed attempt. */
export const INITIAL_RETRY_DELAY_MS = 1_000;
/** No delay is longer than this, so a server that comes back is found within 5 minutes. */
export const MAX_RETRY_DELAY_MS = 300_000;
/**
 * Attempts before a mail is marked failed. With 1 s doubling to 5 min, 20 attempts span about an hour
 * (1+2+…+256 s, then 10 × 5 min: 58.5 min): an SMTP outage shorter than that loses nothing.
 */
export const MAX_ATTEMPTS = 20;

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  initialDelayMs: INITIAL_RETRY_DELAY_MS,
  maxDelayMs: MAX_RETRY_DELAY_MS,
  maxAttempts: MAX_ATTEMPTS,
});

/** The wait after failed attempt number `attempts` (1 = the first): initial × 2^(attempts-1), capped. */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.initialDelayMs * 2 ** Math.min(exponent, 52), policy.maxDelayMs);
}

/** Whether a mail that failed its `attempts`-th attempt is given up. */
export function shouldGiveUp(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return attempts >= policy.maxAttempts;
}
