// The Core's configuration: every variable it reads, parsed once at startup (README lists them all).
import { z } from "zod";
import { bindAddress, bool, durationSeconds, loggingSchema, logLevel, optionalPath, optionalPort, parseEnv, port } from "../shared/env.ts";
import { sharedSecretSchema } from "../shared/link-secret.ts";
import { GATEWAY_HEARTBEAT_INTERVAL_S } from "./gateway/gateway-heartbeat.ts";

/** Why one proxy URL is refused, or undefined when it is `http://host:port` or `https://host:port`. */
function proxyUrlProblem(value: string): string | undefined {
  if ((value.match(/:\/\//g) ?? []).length > 1) return "expected URLs separated by commas (no spaces or semicolons inside an entry)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "expected a URL such as http://proxy:50051 or https://proxy.example.com:50051";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `expected an http:// or https:// URL, got ${url.protocol}//`;
  if (!url.hostname) return "expected a host name in the URL";
  if (url.pathname !== "/" && url.pathname !== "") return "expected no path in the URL, only scheme, host and port";
  return undefined;
}

/**
 * One proxy URL, or several separated by commas (a core dials each; docs/scaling.md). Each entry is
 * checked alone; with several, a problem names the entry (`entry 2 (ftp://x): ...`). Empty entries and
 * the same proxy twice are refused. Parses to the list of URLs, in the order given.
 */
const proxyUrlList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return [];
    const entries = value.split(",").map((entry) => entry.trim());
    const urls: URL[] = [];
    const seen = new Set<string>();
    entries.forEach((entry, i) => {
      const where = entries.length > 1 ? `entry ${i + 1} (${entry || "empty"}): ` : "";
      const problem = entry === "" ? "expected a URL, got nothing (a stray comma?)" : proxyUrlProblem(entry);
      if (problem) return ctx.addIssue({ code: "custom", message: `${where}${problem}` });
      const url = new URL(entry);
      if (seen.has(url.origin)) return ctx.addIssue({ code: "custom", message: `${where}names the same proxy as an earlier entry` });
      seen.add(url.origin);
      urls.push(url);
    });
    return urls;
  });

const httpUrl = (fallback: string) =>
  z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }).default(fallback);

export const coreEnvSchema = z.object({
  DEFGUARD_PROXY_URL: proxyUrlList,
  /** Trusted CAs for every https:// proxy URL: one PEM file, which may hold several CAs (a bundle). */
  DEFGUARD_PROXY_GRPC_CA: optionalPath,
  /** The Core's client certificate and key, presented to a Proxy that requires mutual TLS. */
  DEFGUARD_PROXY_GRPC_CLIENT_CERT: optionalPath,
  DEFGUARD_PROXY_GRPC_CLIENT_KEY: optionalPath,
  /** Presented to every proxy in the call's metadata (shared/link-secret.ts); the proxies' own value. */
  DEFGUARD_PROXY_SHARED_SECRET: sharedSecretSchema,
  DEFGUARD_LOG_LEVEL: logLevel,
  ...loggingSchema,
  DEFGUARD_DB_HOST: z.string().min(1).optional(),
  DEFGUARD_DB_PORT: port(5432),
  DEFGUARD_DB_USER: z.string().default("defguard"),
  DEFGUARD_DB_PASSWORD: z.string().default(""),
  DEFGUARD_DB_NAME: z.string().default("defguard"),
  DEFGUARD_DATA_DIR: z.string().default("./data"),
  DEFGUARD_HTTP_BIND_ADDRESS: bindAddress,
  DEFGUARD_HTTP_PORT: port(8000),
  /** Port of the Prometheus /metrics listener (on DEFGUARD_HTTP_BIND_ADDRESS, no login); unset: none. */
  DEFGUARD_METRICS_PORT: optionalPort(),
  DEFGUARD_DEFAULT_ADMIN_PASSWORD: z.string().min(1).default("pass123"),
  DEFGUARD_COOKIE_INSECURE: bool(false),
  DEFGUARD_URL: httpUrl("http://localhost:8000"),
  DEFGUARD_ENROLLMENT_URL: httpUrl("http://localhost:8080"),
  DEFGUARD_ENROLLMENT_SESSION_TIMEOUT: durationSeconds("10m"),
  DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT: durationSeconds("24h"),
  DEFGUARD_PASSWORD_RESET_SESSION_TIMEOUT: durationSeconds("10m"),
  DEFGUARD_PASSWORD_RESET_TOKEN_TIMEOUT: durationSeconds("24h"),
  DEFGUARD_SESSION_TIMEOUT: durationSeconds("7d"),
  /** Signs the desktop-client MFA tokens (HS256). Unset: a random secret per process. */
  DEFGUARD_AUTH_SECRET: z.string().min(32, "expected a secret of at least 32 characters").optional(),
  /** Encrypts TOTP and email-code secrets at rest (core/mfa/secret-box.ts). Unset: stored as given, with a warning. */
  DEFGUARD_SECRET_KEY: z.string().min(32, "expected a key of at least 32 characters").optional(),
  /** The gateways' gRPC server (core/gateway/): where it listens, and TLS on it (both files or neither). */
  DEFGUARD_GRPC_BIND_ADDRESS: bindAddress,
  DEFGUARD_GRPC_PORT: port(50055),
  DEFGUARD_GRPC_CERT: optionalPath,
  DEFGUARD_GRPC_KEY: optionalPath,
  /** Signs gateway tokens (HS256). Unset: no gateway server, gateways are refused. */
  DEFGUARD_GATEWAY_SECRET: z.string().min(32, "expected a secret of at least 32 characters").optional(),
  /** The URL admins give their gateways (GET /api/v1/network/{id}/token answers it). */
  DEFGUARD_GRPC_URL: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL such as http://core.example.com:50055" }).default("http://localhost:50055"),
  /** How often a core stamps its gateways' rows alive; three missed stamps and a gateway counts as gone. */
  DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: durationSeconds(`${GATEWAY_HEARTBEAT_INTERVAL_S}s`),
  DEFGUARD_SMTP_HOST: z.string().min(1).optional(),
  DEFGUARD_SMTP_PORT: port(587),
  DEFGUARD_SMTP_USER: z.string().optional(),
  DEFGUARD_SMTP_PASSWORD: z.string().optional(),
  DEFGUARD_SMTP_SENDER: z.string().optional(),
  DEFGUARD_SMTP_ENCRYPTION: z.enum(["none", "starttls", "tls"], { error: "expected none, starttls or tls" }).default("starttls"),
});

export type CoreEnv = z.output<typeof coreEnvSchema>;

export type DatabaseConfig =
  | { kind: "postgres"; host: string; port: number; user: string; password: string; database: string }
  | { kind: "embedded"; dataDir: string };

/** One proxy to dial with the TLS files that apply to it (the same for every proxy). */
export interface ProxyEndpointConfig {
  url: URL;
  caPath?: string;
  clientCertPath?: string;
  clientKeyPath?: string;
  sharedSecret?: string;
}

export interface CoreConfig {
  /** Every proxy of DEFGUARD_PROXY_URL, in the order given; empty when it is unset. */
  proxies: ProxyEndpointConfig[];
  /** The first of `proxies` (kept for code written when there was only one). */
  proxy?: ProxyEndpointConfig;
  log: { level: CoreEnv["DEFGUARD_LOG_LEVEL"]; format: CoreEnv["DEFGUARD_LOG_FORMAT"] };
  db: DatabaseConfig;
  http: { host: string; port: number };
  /** Port of the /metrics listener; undefined when off. */
  metricsPort?: number;
  defaultAdminPassword: string;
  cookieInsecure: boolean;
  url: string;
  enrollmentUrl: string;
  timeouts: {
    enrollmentSessionS: number;
    enrollmentTokenS: number;
    passwordResetSessionS: number;
    passwordResetTokenS: number;
    sessionS: number;
  };
  authSecret?: string;
  /** DEFGUARD_SECRET_KEY: TOTP and email-code secrets are stored encrypted under it; undefined: as given. */
  secretKey?: string;
  /** The gateways' gRPC server; `secret` undefined: it does not start and gateways are refused. */
  gateway: GatewayServerConfig;
  smtp?: { host: string; port: number; user?: string; password?: string; sender?: string; encryption: CoreEnv["DEFGUARD_SMTP_ENCRYPTION"] };
}

export interface GatewayServerConfig {
  host: string;
  port: number;
  certPath?: string;
  keyPath?: string;
  secret?: string;
  /** DEFGUARD_GRPC_URL, as given. */
  url: string;
  /** DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL in seconds (core/gateway/gateway-heartbeat.ts). */
  heartbeatS: number;
}

/** Parses the Core's environment; throws EnvError listing every bad variable. */
export function loadCoreConfig(env: Record<string, string | undefined>): CoreConfig {
  const e = parseEnv(coreEnvSchema, env);
  const proxies = e.DEFGUARD_PROXY_URL.map((url) => ({
    url,
    caPath: e.DEFGUARD_PROXY_GRPC_CA,
    clientCertPath: e.DEFGUARD_PROXY_GRPC_CLIENT_CERT,
    clientKeyPath: e.DEFGUARD_PROXY_GRPC_CLIENT_KEY,
    sharedSecret: e.DEFGUARD_PROXY_SHARED_SECRET,
  }));
  return Object.freeze({
    proxies,
    proxy: proxies[0],
    log: { level: e.DEFGUARD_LOG_LEVEL, format: e.DEFGUARD_LOG_FORMAT },
    db: e.DEFGUARD_DB_HOST
      ? {
          kind: "postgres" as const,
          host: e.DEFGUARD_DB_HOST,
          port: e.DEFGUARD_DB_PORT,
          user: e.DEFGUARD_DB_USER,
          password: e.DEFGUARD_DB_PASSWORD,
          database: e.DEFGUARD_DB_NAME,
        }
      : { kind: "embedded" as const, dataDir: e.DEFGUARD_DATA_DIR },
    http: { host: e.DEFGUARD_HTTP_BIND_ADDRESS, port: e.DEFGUARD_HTTP_PORT },
    metricsPort: e.DEFGUARD_METRICS_PORT,
    defaultAdminPassword: e.DEFGUARD_DEFAULT_ADMIN_PASSWORD,
    cookieInsecure: e.DEFGUARD_COOKIE_INSECURE,
    url: e.DEFGUARD_URL,
    enrollmentUrl: e.DEFGUARD_ENROLLMENT_URL,
    timeouts: {
      enrollmentSessionS: e.DEFGUARD_ENROLLMENT_SESSION_TIMEOUT,
      enrollmentTokenS: e.DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT,
      passwordResetSessionS: e.DEFGUARD_PASSWORD_RESET_SESSION_TIMEOUT,
      passwordResetTokenS: e.DEFGUARD_PASSWORD_RESET_TOKEN_TIMEOUT,
      sessionS: e.DEFGUARD_SESSION_TIMEOUT,
    },
    authSecret: e.DEFGUARD_AUTH_SECRET,
    secretKey: e.DEFGUARD_SECRET_KEY,
    gateway: {
      host: e.DEFGUARD_GRPC_BIND_ADDRESS,
      port: e.DEFGUARD_GRPC_PORT,
      certPath: e.DEFGUARD_GRPC_CERT,
      keyPath: e.DEFGUARD_GRPC_KEY,
      secret: e.DEFGUARD_GATEWAY_SECRET,
      url: e.DEFGUARD_GRPC_URL,
      heartbeatS: e.DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL,
    },
    smtp: e.DEFGUARD_SMTP_HOST
      ? {
          host: e.DEFGUARD_SMTP_HOST,
          port: e.DEFGUARD_SMTP_PORT,
          user: e.DEFGUARD_SMTP_USER,
          password: e.DEFGUARD_SMTP_PASSWORD,
          sender: e.DEFGUARD_SMTP_SENDER,
          encryption: e.DEFGUARD_SMTP_ENCRYPTION,
        }
      : undefined,
  });
}
