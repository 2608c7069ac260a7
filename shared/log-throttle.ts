// Keeps a misbehaving peer from flooding the log: the first few occurrences of a repeated event are
// logged in full, then at most one summary line per interval counts the ones left out.

export interface LogThrottle {
  /** True when this occurrence should be logged; otherwise it is counted for the next summary. */
  admit(): boolean;
  /** Occurrences left out since the last summary; resets the count. Null while nothing was left out. */
  takeSuppressed(): number | null;
}

/**
 * @param burst occurrences logged in full per interval
 * @param intervalMs length of an interval
 */
export function createLogThrottle(burst: number, intervalMs: number, now: () => number = () => performance.now()): LogThrottle {
  let windowStart = Number.NEGATIVE_INFINITY;
  let inWindow = 0;
  let suppressed = 0;
  return {
    admit() {
      const t = now();
      if (t - windowStart >= intervalMs) {
        windowStart = t;
        inWindow = 0;
      }
      if (inWindow < burst) {
        inWindow++;
        return true;
      }
      suppressed++;
      return false;
    },
    takeSuppressed() {
      if (suppressed === 0) return null;
      const count = suppressed;
      suppressed = 0;
      return count;
    },
  };
}
