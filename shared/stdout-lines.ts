// Log lines to stdout, coalesced: lines logged within a few milliseconds of each other leave in one
// write. Each write is a system call and wakes whatever reads the pipe (Docker's log driver, a terminal);
// under enrollment load a line cost the Core as much CPU as a database round trip. Nothing is lost on
// an orderly exit (process.exit, a signal handled, an uncaught error): what waits is written then.

/** The longest a line waits for company before it is written. */
export const LINE_DELAY_MS = 25;
/** A burst this long (characters) is written at once, whatever the delay. */
export const MAX_PENDING_CHARS = 64 * 1024;

export interface LineCoalescer {
  /** Queues `line` (without its newline); written within LINE_DELAY_MS. */
  write(line: string): void;
  /** Writes what waits, then `line`, now: for warnings and errors, which must not wait or lose their place. */
  writeNow(line: string): void;
  /** Writes what waits now. */
  flush(): void;
}

/** Coalesces lines into calls of `sink` (e.g. process.stdout.write); the timer never keeps a process alive. */
export function createLineCoalescer(sink: (text: string) => void, delayMs = LINE_DELAY_MS, maxPendingChars = MAX_PENDING_CHARS): LineCoalescer {
  /** Lines waiting, each with its newline. */
  let pending = "";
  /** The timer that writes `pending`; undefined while nothing waits. */
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === "") return;
    const text = pending;
    pending = "";
    sink(text);
  };
  return {
    write(line) {
      pending += `${line}\n`;
      if (pending.length >= maxPendingChars) return flush();
      if (timer === undefined) {
        timer = setTimeout(flush, delayMs);
        timer.unref?.();
      }
    },
    writeNow(line) {
      pending += `${line}\n`;
      flush();
    },
    flush,
  };
}

let stdout: LineCoalescer | undefined;

/** The process's one coalescer for stdout (every logger shares it, so lines keep their order). */
export function stdoutLines(): LineCoalescer {
  if (!stdout) {
    const coalescer = createLineCoalescer((text) => void process.stdout.write(text));
    process.on("exit", () => coalescer.flush());
    stdout = coalescer;
  }
  return stdout;
}
