// The Proxy's configuration: every variable it reads, parsed once at startup (README lists them all).
import { z } from "zod";
import { bindAddress, bool, EnvError, loggingSchema, logLevel, optionalPath, optionalPort, parseEnv, port, positiveInt } from "../shared/env.ts";
import { sharedSecretSchema } from "../shared/link-secret.ts";
import { parseTrustedProxies } from "./http/trusted-proxies.ts";

/** Defguard's request timeout; unset, ours is this or the Core timeout plus the margin, whichever is longer. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MARGIN_MS = 5_000;

/** A whole number >= 0 given as a decimal string; 0 usually means "off". */
const wholeNumber = (fallback: number, what: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `expected ${what}`)
    .default(String(fallback))
    .transform(Number);

/** Comma-separated IPs or CIDRs (`10.0.0.1, 192.168.0.0/16, ::1`), normalised to CIDR text. */
const trustedProxies = z
  .string()
  .default("")
  .transform((value, ctx) => {
    const parsed = parseTrustedProxies(value);
    if (typeof parsed === "string") {
      ctx.addIssue({ code: "custom", message: `expected comma-separated IP addresses or CIDRs, got ${JSON.stringify(parsed)}` });
      return z.NEVER;
    }
    return parsed;
  });

export const proxyEnvSchema = z.object({
  DEFGUARD_GRPC_BIND_ADDRESS: bindAddress,
  DEFGUARD_PROXY_GRPC_PORT: port(50051),
  DEFGUARD_PROXY_GRPC_CERT: optionalPath,
  DEFGUARD_PROXY_GRPC_KEY: optionalPath,
  DEFGUARD_PROXY_GRPC_CLIENT_CA: optionalPath,
  /** Required of every Core in its call's metadata when set (shared/link-secret.ts). */
  DEFGUARD_PROXY_SHARED_SECRET: sharedSecretSchema,
  DEFGUARD_HTTP_BIND_ADDRESS: bindAddress,
  DEFGUARD_PROXY_HTTP_PORT: port(8080),
  DEFGUARD_PROXY_CORE_TIMEOUT_MS: positiveInt(5000, "a timeout in milliseconds, a positive whole number"),
  DEFGUARD_PROXY_LOG_LEVEL: logLevel,
  ...loggingSchema,
  /** Secret for sealing the session cookies; at least 32 characters. Unset: a random key per process. */
  DEFGUARD_PROXY_COOKIE_KEY: z.string().min(32, "expected a secret of at least 32 characters").optional(),
  /** True when the Proxy is served over plain http (no TLS terminator in front): cookies lose `Secure`. */
  DEFGUARD_PROXY_COOKIE_INSECURE: bool(false),
  /**
   * Rate limit of /api per client address, as Defguard (tower_governor) reads it: one more request is
   * allowed every PERSECOND seconds, up to BURST at once. Either 0 turns it off (the default).
   */
  DEFGUARD_PROXY_RATELIMIT_PERSECOND: wholeNumber(0, "a whole number of seconds (0 turns rate limiting off)"),
  DEFGUARD_PROXY_RATELIMIT_BURST: wholeNumber(0, "a whole number of requests (0 turns rate limiting off)"),
  /** Attempts per minute with one secret (token, MFA session, email) on the endpoints that check it; 0 off. */
  DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: wholeNumber(10, "a whole number of attempts per minute (0 turns it off)"),
  /** Reverse proxies whose X-Forwarded-For / -Proto / -Host are believed; empty: none (the socket peer counts). */
  DEFGUARD_PROXY_TRUSTED_PROXIES: trustedProxies,
  /**
   * Longest time a request may take in the Proxy before 408; more than DEFGUARD_PROXY_CORE_TIMEOUT_MS.
   * Unset: 30 s (Defguard's), or the Core timeout plus 5 s when that is longer.
   */
  DEFGUARD_PROXY_REQUEST_TIMEOUT_MS: z
    .string()
    .regex(/^\d+$/, "expected a timeout in milliseconds, a positive whole number")
    .transform(Number)
    .refine((n) => n > 0 && Number.isSafeInteger(n), "expected a timeout in milliseconds, a positive whole number")
    .optional(),
  /** Port of the Prometheus /metrics listener (on DEFGUARD_HTTP_BIND_ADDRESS); unset: no metrics listener. */
  DEFGUARD_PROXY_METRICS_PORT: optionalPort(),
  /** Removed: the Proxy no longer dials Core. Read only to warn an upgrading admin. */
  DEFGUARD_PROXY_UPSTREAM_GRPC_URL: z.string().optional(),
});

export type ProxyEnv = z.output<typeof proxyEnvSchema>;

export interface ProxyConfig {
  grpc: { host: string; port: number; certPath?: string; keyPath?: string; clientCaPath?: string; sharedSecret?: string };
  http: { host: string; port: number };
  coreTimeoutMs: number;
  log: { level: ProxyEnv["DEFGUARD_PROXY_LOG_LEVEL"]; format: ProxyEnv["DEFGUARD_LOG_FORMAT"] };
  cookie: { key?: string; insecure: boolean };
  removedUpstreamUrl?: string;
  /** Per-address limit of /api; undefined when off. */
  rateLimit?: { burst: number; refillSeconds: number };
  /** Per-secret limit of the endpoints that check secrets; 0 when off. */
  secretAttemptsPerMinute: number;
  /** CIDRs of trusted reverse proxies. */
  trustedProxies: readonly string[];
  requestTimeoutMs: number;
  /** Port of the /metrics listener; undefined when off. */
  metricsPort?: number;
}

/** Parses the Proxy's environment; throws EnvError listing every bad variable. */
export function loadProxyConfig(env: Record<string, string | undefined>): ProxyConfig {
  const e = parseEnv(proxyEnvSchema, env);
  const requestTimeoutMs =
    e.DEFGUARD_PROXY_REQUEST_TIMEOUT_MS ?? Math.max(DEFAULT_REQUEST_TIMEOUT_MS, e.DEFGUARD_PROXY_CORE_TIMEOUT_MS + REQUEST_TIMEOUT_MARGIN_MS);
  if (requestTimeoutMs <= e.DEFGUARD_PROXY_CORE_TIMEOUT_MS) {
    throw new EnvError([
      `DEFGUARD_PROXY_REQUEST_TIMEOUT_MS: expected more than DEFGUARD_PROXY_CORE_TIMEOUT_MS (${e.DEFGUARD_PROXY_CORE_TIMEOUT_MS}), so a slow Core's 504 reaches the client first`,
    ]);
  }
  const limited = e.DEFGUARD_PROXY_RATELIMIT_PERSECOND > 0 && e.DEFGUARD_PROXY_RATELIMIT_BURST > 0;
  return Object.freeze({
    grpc: {
      host: e.DEFGUARD_GRPC_BIND_ADDRESS,
      port: e.DEFGUARD_PROXY_GRPC_PORT,
      certPath: e.DEFGUARD_PROXY_GRPC_CERT,
      keyPath: e.DEFGUARD_PROXY_GRPC_KEY,
      clientCaPath: e.DEFGUARD_PROXY_GRPC_CLIENT_CA,
      sharedSecret: e.DEFGUARD_PROXY_SHARED_SECRET,
    },
    http: { host: e.DEFGUARD_HTTP_BIND_ADDRESS, port: e.DEFGUARD_PROXY_HTTP_PORT },
    coreTimeoutMs: e.DEFGUARD_PROXY_CORE_TIMEOUT_MS,
    log: { level: e.DEFGUARD_PROXY_LOG_LEVEL, format: e.DEFGUARD_LOG_FORMAT },
    cookie: { key: e.DEFGUARD_PROXY_COOKIE_KEY, insecure: e.DEFGUARD_PROXY_COOKIE_INSECURE },
    removedUpstreamUrl: e.DEFGUARD_PROXY_UPSTREAM_GRPC_URL,
    rateLimit: limited ? { burst: e.DEFGUARD_PROXY_RATELIMIT_BURST, refillSeconds: e.DEFGUARD_PROXY_RATELIMIT_PERSECOND } : undefined,
    secretAttemptsPerMinute: e.DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE,
    trustedProxies: e.DEFGUARD_PROXY_TRUSTED_PROXIES,
    requestTimeoutMs,
    metricsPort: e.DEFGUARD_PROXY_METRICS_PORT,
  });
}
