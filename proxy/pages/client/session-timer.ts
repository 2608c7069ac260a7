// "Time left in this session": the Core gives the session's end as Unix seconds; the countdown runs on
// the server's clock (the answer's Date header) so a phone whose clock is off still shows the truth.

/** How often the countdown text is refreshed. */
const TICK_MS = 15_000;

/** What follows "Time left:": `9 minutes`, `1 minute`, `less than a minute`, `2 hours`, or `none`. */
export function formatTimeLeft(remainingMs: number): string {
  if (remainingMs <= 0) return "none";
  const minutes = Math.floor(remainingMs / 60_000);
  if (minutes === 0) return "less than a minute";
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `${Math.floor(minutes / 60)} hours`;
}

/** Milliseconds left until `deadlineSeconds`, measured from `serverNowMs` (the server's clock). */
export function remainingMs(deadlineSeconds: number, serverNowMs: number): number {
  return deadlineSeconds * 1000 - serverNowMs;
}

export interface SessionTimer {
  stop(): void;
}

/**
 * Writes the time left into every element matching `[data-time-left]` now and every 15 s; calls
 * `onExpired` once when it runs out. `serverTimeMs` defaults to this browser's clock.
 */
export function startSessionTimer(deadlineSeconds: number, serverTimeMs: number | undefined, onExpired: () => void): SessionTimer {
  const startedAt = performance.now();
  const leftAtStart = remainingMs(deadlineSeconds, serverTimeMs ?? Date.now());
  let expired = false;
  const tick = () => {
    const left = leftAtStart - (performance.now() - startedAt);
    for (const el of document.querySelectorAll<HTMLElement>("[data-time-left]")) el.textContent = formatTimeLeft(left);
    if (left <= 0 && !expired) {
      expired = true;
      window.clearInterval(interval);
      onExpired();
    }
  };
  const interval = window.setInterval(tick, TICK_MS);
  tick();
  return { stop: () => window.clearInterval(interval) };
}
