// How many wrong one-time codes a scope (one device in one location, or one user across all of them) may
// send, over time: a few for free, then each wrong code blocks the scope for twice as long as the last, up
// to MAX_DELAY_MS, and one wrong code is forgotten per FAILURE_DECAY_MS. Growing delays rather than a
// lock: whoever knows a device's public key can keep its owner waiting, never locked out for good. Pure:
// the clock is a parameter (the database's, so that every core agrees).

/** One wrong code is forgotten per hour since the last one was forgotten (or the count started). */
export const FAILURE_DECAY_MS = 60 * 60 * 1000;
/** The block after the last free wrong code; each further one doubles it. */
export const FIRST_DELAY_MS = 60 * 1000;
export const MAX_DELAY_MS = 60 * 60 * 1000;
/** Wrong codes before the first block: per device and location, and per user over all of them. */
export const DEVICE_FREE_FAILURES = 5;
export const USER_FREE_FAILURES = 10;

export interface ThrottleState {
  /** Recent wrong codes (what the delays grow with). */
  failures: number;
  /** Unix ms at which the hour of forgetting under way started. */
  decayFromMs: number;
  /** Unix ms until which every code is refused; null when never blocked. */
  blockedUntilMs: number | null;
  /** Wrong codes since `failures` was last 0, and when that was. */
  episodeFailures: number;
  episodeStartedMs: number | null;
  /** Whether this episode was reported (user scope: the mail and the audit event). */
  alerted: boolean;
}

export const EMPTY_THROTTLE: ThrottleState = { failures: 0, decayFromMs: 0, blockedUntilMs: null, episodeFailures: 0, episodeStartedMs: null, alerted: false };

/** `state` with the whole hours since `decayFromMs` forgotten; back at 0 the episode is over. */
export function decayed(state: ThrottleState, nowMs: number): ThrottleState {
  const hours = Math.max(0, Math.floor((nowMs - state.decayFromMs) / FAILURE_DECAY_MS));
  if (hours === 0) return state;
  const failures = Math.max(0, state.failures - hours);
  if (failures === 0) return { ...EMPTY_THROTTLE, blockedUntilMs: state.blockedUntilMs, decayFromMs: nowMs };
  return { ...state, failures, decayFromMs: state.decayFromMs + hours * FAILURE_DECAY_MS };
}

/** The block that `failures` recent wrong codes earn in a scope allowing `free` of them. */
export function delayFor(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - free), MAX_DELAY_MS);
}

/** Milliseconds until `state` takes a code again; 0 when it does now. */
export function blockedForMs(state: ThrottleState, nowMs: number): number {
  return state.blockedUntilMs === null ? 0 : Math.max(0, state.blockedUntilMs - nowMs);
}

/** Wrong codes `state` still takes before its first block (0 once blocking has begun). */
export function freeFailuresLeft(state: ThrottleState, nowMs: number, free: number): number {
  return Math.max(0, free - decayed(state, nowMs).failures);
}

/** The state after a wrong code at `nowMs` (one that was taken: the scope was not blocked). */
export function afterFailure(state: ThrottleState, nowMs: number, free: number): ThrottleState {
  const current = decayed(state, nowMs);
  const fresh = current.failures === 0;
  const failures = current.failures + 1;
  const delay = delayFor(failures, free);
  return {
    failures,
    decayFromMs: fresh ? nowMs : current.decayFromMs,
    blockedUntilMs: delay > 0 ? nowMs + delay : current.blockedUntilMs,
    episodeFailures: current.episodeFailures + 1,
    episodeStartedMs: fresh ? nowMs : current.episodeStartedMs,
    alerted: current.alerted,
  };
}
