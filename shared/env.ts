// Parsing of the environment, once at startup, into a frozen typed config; shared field schemas.
// Every problem names the variable and what it expected; all problems are reported at once.
import { z } from "zod";
import { LOG_LEVELS } from "./logger.ts";

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** A TCP port given as a decimal string, 0..65535 (0 asks the OS for a free one). */
export const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, "expected a port number (0-65535)")
    .default(String(fallback))
    .transform(Number)
    .refine((n) => n <= 65535, "expected a port number (0-65535)");

/** A TCP port that may be left unset (an optional listener: metrics, health); undefined when unset. */
export const optionalPort = () =>
  z
    .string()
    .regex(/^\d{1,5}$/, "expected a port number (0-65535)")
    .transform(Number)
    .refine((n) => n <= 65535, "expected a port number (0-65535)")
    .optional();

export const positiveInt = (fallback: number, what = "a positive whole number") =>
  z
    .string()
    .regex(/^\d+$/, `expected ${what}`)
    .default(String(fallback))
    .transform(Number)
    .refine((n) => n > 0 && Number.isSafeInteger(n), `expected ${what}`);

export const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "yes");

/** An IP address to bind to, IPv4 or IPv6, or a host name such as `localhost`. */
export const bindAddress = z.string().min(1, "expected an address to bind to, such as 0.0.0.0").default("0.0.0.0");

/** A path to a file; emptiness is the only thing checked here (TLS helpers read and validate it). */
export const optionalPath = z.string().min(1, "expected a file path").optional();

export const loggingSchema = {
  DEFGUARD_LOG_FORMAT: z.enum(["text", "json"], { error: "expected text or json" }).default("text"),
};

export const logLevel = z
  .string()
  .default("info")
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(", ")}` }));

/**
 * A duration as Defguard writes it (humantime): `600`, `600s`, `10m`, `24h`, `1h 30m`, `7d`; in seconds.
 */
export function parseDurationSeconds(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const unit: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600, d: 86400 };
  let total = 0;
  const re = /(\d+)\s*(s|sec|min|m|h|d)\s*/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(trimmed)) !== null) {
    total += Number(match[1]) * unit[match[2]!]!;
    consumed = re.lastIndex;
  }
  return consumed === trimmed.length && consumed > 0 ? total : null;
}

export const durationSeconds = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const seconds = parseDurationSeconds(v);
      if (seconds === null || seconds <= 0) {
        ctx.addIssue({ code: "custom", message: "expected a duration such as 600, 10m or 24h" });
        return z.NEVER;
      }
      return seconds;
    });

/** Empty strings count as unset, as a shell `VAR=` or a compose `VAR:` line means "not given". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") out[k] = v;
  return out;
}

/**
 * Parses `env` with `schema`; returns a frozen config or throws EnvError listing every problem as
 * `NAME: what was expected`.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): Readonly<z.output<S>> {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "environment";
        return `${name}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}

/** Startup wrapper: prints EnvError problems to stderr and exits 1; rethrows anything else. */
export function loadConfigOrExit<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${service}: cannot start, ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
