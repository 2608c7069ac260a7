// The chaos load generator: a few loops, each POSTing the desktop client's poll to the proxy without
// pause, and recording how every request ended: an HTTP status (200 from the Core, 503 with no Core, 504
// when the Core did not answer in time), refused (the proxy's port closed while it restarts), or hung
// (no answer within the Core timeout plus a margin: the failure this test exists to catch).

/** A request still unanswered this long after the Core timeout has hung. */
const HANG_MARGIN_MS = 3_000;
/** Pause between a loop's requests: enough load to matter, little enough to leave CPU to the services. */
const LOOP_PAUSE_MS = 5;
/** After a refused connection (the proxy is restarting): no point in knocking faster than this. */
const REFUSED_PAUSE_MS = 50;

export interface LoadFigures {
  sent: number;
  byStatus: Map<string, number>;
  hung: number;
  longestWaitMs: number;
  /** Statuses other than 200/503/504 (e.g. 401 after a restart lost the token): kept for the report. */
  unexpected: string[];
}

export class LoadGenerator {
  readonly figures: LoadFigures = { sent: 0, byStatus: new Map(), hung: 0, longestWaitMs: 0, unexpected: [] };
  /** The loops while running. */
  private loops: Promise<void>[] = [];
  private running = false;
  private paused = false;

  constructor(
    private readonly options: { url: string; body: string; concurrency: number; coreTimeoutMs: number },
  ) {}

  start(): void {
    this.running = true;
    for (let i = 0; i < this.options.concurrency; i++) this.loops.push(this.loop());
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops.splice(0));
  }

  /** Holds new requests (e.g. while the proxy is frozen on purpose) until resume(). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  private count(outcome: string): void {
    this.figures.byStatus.set(outcome, (this.figures.byStatus.get(outcome) ?? 0) + 1);
  }

  /** Sends one request; false when the connection was refused. */
  private async once(): Promise<boolean> {
    const limitMs = this.options.coreTimeoutMs + HANG_MARGIN_MS;
    const started = performance.now();
    this.figures.sent++;
    try {
      const res = await fetch(this.options.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: this.options.body,
        signal: AbortSignal.timeout(limitMs),
      });
      await res.arrayBuffer();
      this.count(String(res.status));
      if (![200, 503, 504].includes(res.status) && this.figures.unexpected.length < 10) this.figures.unexpected.push(String(res.status));
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === "TimeoutError" || name === "AbortError") {
        this.figures.hung++;
        this.count("hung");
      } else {
        this.count("refused");
        return false;
      }
    } finally {
      this.figures.longestWaitMs = Math.max(this.figures.longestWaitMs, performance.now() - started);
    }
    return true;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (this.paused) {
        await Bun.sleep(20);
        continue;
      }
      const answered = await this.once();
      await Bun.sleep(answered ? LOOP_PAUSE_MS : REFUSED_PAUSE_MS);
    }
  }
}
