// Work a handler starts after it has answered: tracked (so tests and shutdown can wait for it), bounded
// (a flood of requests cannot pile up unbounded work), and never failing the answer already given.
import type { Logger } from "../../../shared/logger.ts";

export interface BackgroundWork {
  /** Runs `task` after the current answer; false (task dropped, with a warning) when `limit` tasks already wait. */
  run(name: string, task: () => Promise<void>): boolean;
  /** Resolves once every task started so far has finished. */
  settled(): Promise<void>;
}

export function createBackgroundWork(log: Logger, limit: number): BackgroundWork {
  /** Tasks started and not finished yet. */
  const pending = new Set<Promise<void>>();
  return {
    run(name, task) {
      if (pending.size >= limit) {
        log.warn(`Too many ${name} tasks waiting (${limit}): this request is dropped`);
        return false;
      }
      // setImmediate: the task begins after the answer has been handed to the link, not before.
      const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((err) => log.error(`${name} failed`, { error: err instanceof Error ? err.message : String(err) }))
        .finally(() => pending.delete(done));
      pending.add(done);
      return true;
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}
