// Reconnect delays of a link that dials a peer (the Core dialling its Proxies, a gateway dialling the Core):
// exponential growth with jitter, capped, reset after a connection that lived. Pure: the random source and
// the clock readings are passed in.

/** The first retry comes this soon (before jitter), so a restarted peer is found again quickly. */
export const INITIAL_BACKOFF_MS = 150;
/** Each failed attempt multiplies the delay by this. */
export const MULTIPLIER = 1.6;
/** No delay is ever longer than this, jitter included. */
export const MAX_BACKOFF_MS = 10_000;
/** Delays are spread uniformly within ±JITTER of the nominal value, so many cores do not redial in step. */
export const JITTER = 0.2;
/** A connection that stayed up this long counts as healthy: the next failure starts from the beginning. */
export const STABLE_CONNECTION_MS = 5_000;

/** The nominal delay (no jitter) before retry number `attempt` (0 = the first retry). */
export function nominalDelayMs(attempt: number): number {
  return Math.min(INITIAL_BACKOFF_MS * MULTIPLIER ** Math.max(0, attempt), MAX_BACKOFF_MS);
}

/**
 * The delay before retry number `attempt`: the nominal delay times a factor in [1-JITTER, 1+JITTER),
 * never above MAX_BACKOFF_MS. `random` returns a number in [0, 1), as Math.random does.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const factor = 1 + JITTER * (2 * random() - 1);
  return Math.min(Math.round(nominalDelayMs(attempt) * factor), MAX_BACKOFF_MS);
}

/** The retry schedule of one link: counts failed attempts, resets after a connection that lived. */
export class Backoff {
  /** Failed attempts since the last reset; the next delay grows with it. */
  private attempt = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** The delay before the next attempt; each call counts one more failure. */
  nextDelayMs(): number {
    const delay = backoffDelayMs(this.attempt, this.random);
    this.attempt += 1;
    return delay;
  }

  /** Called when a connection ends: one that lived at least STABLE_CONNECTION_MS resets the schedule. */
  connectionEnded(livedMs: number): void {
    if (livedMs >= STABLE_CONNECTION_MS) this.reset();
  }

  reset(): void {
    this.attempt = 0;
  }
}
