// Operator-facing logs in the tracing style of Defguard (`<time>  INFO <target>: <message>`) or one JSON
// object a line; never pass secrets (tokens, passwords, keys, cookies) to these functions.
import { stdoutLines } from "./stdout-lines.ts";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "text" | "json";

export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger for another module of the same service, e.g. `defguard_proxy::server`. */
  child(target: string): Logger;
}

export type LogFields = Record<string, string | number | boolean | undefined | null>;

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  target: string;
  /** Where lines go; stdout by default (coalesced, see stdout-lines.ts). Tests pass their own sink. */
  write?: (line: string) => void;
}

const LEVEL_RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** RFC 3339 with microseconds, as tracing prints it: `2024-01-24T14:05:41.365035Z`. */
export function formatTimestamp(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs)).toISOString(); // ...:41.365Z
  const micros = Math.floor((epochMs % 1) * 1000)
    .toString()
    .padStart(3, "0");
  return `${iso.slice(0, -1)}${micros}Z`;
}

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export function formatTextLine(level: LogLevel, target: string, message: string, fields?: LogFields): string {
  const extra = fields
    ? Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : v}`)
        .join("")
    : "";
  return `${formatTimestamp(nowMs())} ${level.toUpperCase().padStart(5)} ${target}: ${message}${extra}`;
}

export function formatJsonLine(level: LogLevel, target: string, message: string, fields?: LogFields): string {
  return JSON.stringify({
    timestamp: formatTimestamp(nowMs()),
    level: level.toUpperCase(),
    target,
    fields: { message, ...fields },
  });
}

/** stdout, lines coalesced (shared/stdout-lines.ts); warnings and errors are written at once. */
function writeToStdout(line: string, level: LogLevel): void {
  if (LEVEL_RANK[level] >= LEVEL_RANK.warn) stdoutLines().writeNow(line);
  else stdoutLines().write(line);
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ? (line: string) => options.write!(line) : writeToStdout;
  const format = options.format === "json" ? formatJsonLine : formatTextLine;
  const threshold = LEVEL_RANK[options.level];
  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] >= threshold) write(format(level, options.target, message, fields), level);
  };
  return {
    trace: emit("trace"),
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (target) => createLogger({ ...options, target }),
  };
}
