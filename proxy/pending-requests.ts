// Correlation of requests sent to Cores with their answers, by id: the pure half of forwarding.
// An entry lives exactly while its request is in flight: answered, timed out or failed, it leaves the map.
import type { AppError } from "../shared/errors.ts";

interface Entry<T> {
  /** The link the request was written to; its loss fails the entry. */
  owner: number;
  resolve: (value: T) => void;
  reject: (error: AppError) => void;
  /** Fires the per-request timeout; cleared whenever the entry leaves the map. */
  timer: ReturnType<typeof setTimeout>;
}

export class PendingRequests<T> {
  /** The id the next request takes; 0 is proto3's "unset", so ids start at 1. */
  private nextId = 1;
  /** Requests in flight, by id. */
  private readonly entries = new Map<number, Entry<T>>();

  /**
   * @param timeoutMs how long a request may wait for its answer
   * @param onTimeout builds the error a timed-out request is rejected with
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: (id: number) => AppError,
  ) {}

  /** Registers a request owned by link `owner`; `answer` settles on settle(), timeout or failOwner(). */
  open(owner: number): { id: number; answer: Promise<T> } {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, this.onTimeout(id)), this.timeoutMs);
      this.entries.set(id, { owner, resolve, reject, timer });
    });
    return { id, answer };
  }

  /**
   * Resolves request `id` with `value` when it is in flight on link `owner`.
   * Returns false for an unknown, late or foreign id (the caller logs and drops it).
   */
  settle(id: number, owner: number, value: T): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.owner !== owner) return false;
    this.remove(id, entry);
    entry.resolve(value);
    return true;
  }

  /** Rejects one request; false when it was no longer in flight. */
  fail(id: number, error: AppError): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.remove(id, entry);
    entry.reject(error);
    return true;
  }

  /** Rejects every request in flight on link `owner`; returns how many there were. */
  failOwner(owner: number, error: AppError): number {
    let count = 0;
    for (const [id, entry] of this.entries) {
      if (entry.owner === owner && this.fail(id, error)) count++;
    }
    return count;
  }

  /** Rejects every request in flight (shutdown); returns how many there were. */
  failAll(error: AppError): number {
    let count = 0;
    for (const id of [...this.entries.keys()]) if (this.fail(id, error)) count++;
    return count;
  }

  /** Requests in flight. */
  get size(): number {
    return this.entries.size;
  }

  private remove(id: number, entry: Entry<T>): void {
    clearTimeout(entry.timer);
    this.entries.delete(id);
  }
}
