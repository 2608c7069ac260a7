// Token buckets by key (client address, secret hash): the pure half of rate limiting. A bucket holds up
// to `burst` tokens and gains one every `refillMs`; a request takes one or is refused with the time until
// the next. This is the GCRA of tower_governor, which Defguard uses, in its token-bucket form.

/** How often full buckets are swept out of the map (lazily, on a take()). */
const SWEEP_INTERVAL_MS = 60_000;
/** Above this many keys the oldest are dropped, so a flood of addresses cannot exhaust memory. */
export const DEFAULT_MAX_KEYS = 100_000;

export interface BucketPolicy {
  /** Tokens a full bucket holds: requests allowed back to back. */
  burst: number;
  /** Milliseconds for one token to come back. */
  refillMs: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in the clock's milliseconds. */
  updatedMs: number;
}

export class TokenBuckets {
  /** Buckets by key, oldest first (Map order), so eviction drops the least recently created. */
  private readonly buckets = new Map<string, Bucket>();
  /** When full buckets were last swept out. */
  private lastSweepMs: number;

  constructor(
    private readonly policy: BucketPolicy,
    private readonly now: () => number = () => performance.now(),
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {
    if (policy.burst < 1 || policy.refillMs <= 0) throw new Error("a bucket needs burst >= 1 and refillMs > 0");
    this.lastSweepMs = now();
  }

  /** Takes one token from `key`'s bucket. */
  take(key: string): TakeResult {
    const now = this.now();
    this.maybeSweep(now);
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) * this.policy.refillMs) };
  }

  /** Keys tracked (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.evict();
      bucket = { tokens: this.policy.burst, updatedMs: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const gained = (now - bucket.updatedMs) / this.policy.refillMs;
    bucket.tokens = Math.min(this.policy.burst, bucket.tokens + gained);
    bucket.updatedMs = now;
    return bucket;
  }

  /** Forgets buckets that have refilled completely: they behave exactly like a new one. */
  private maybeSweep(now: number): void {
    if (now - this.lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.lastSweepMs = now;
    const fullAfterMs = this.policy.burst * this.policy.refillMs;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedMs >= fullAfterMs) this.buckets.delete(key);
    }
  }

  /** Drops the oldest tenth of the keys: their owners start again with a full bucket. */
  private evict(): void {
    let drop = Math.max(1, Math.floor(this.maxKeys / 10));
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
