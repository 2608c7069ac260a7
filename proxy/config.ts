// The Proxy's configuration: every variable it reads, parsed once at startup (README lists them all).
import { z } from "zod";
import { bindAddress, bool, logLevel, loggingSchema, optionalPath, parseEnv, port, positiveInt } from "../shared/env.ts";

export const proxyEnvSchema = z.object({
  DEFGUARD_GRPC_BIND_ADDRESS: bindAddress,
  DEFGUARD_PROXY_GRPC_PORT: port(50051),
  DEFGUARD_PROXY_GRPC_CERT: optionalPath,
  DEFGUARD_PROXY_GRPC_KEY: optionalPath,
  DEFGUARD_PROXY_GRPC_CLIENT_CA: optionalPath,
  DEFGUARD_HTTP_BIND_ADDRESS: bindAddress,
  DEFGUARD_PROXY_HTTP_PORT: port(8080),
  DEFGUARD_PROXY_CORE_TIMEOUT_MS: positiveInt(5000, "a timeout in milliseconds, a positive whole number"),
  DEFGUARD_PROXY_LOG_LEVEL: logLevel,
  ...loggingSchema,
  /** Secret for sealing the session cookies; at least 32 characters. Unset: a random key per process. */
  DEFGUARD_PROXY_COOKIE_KEY: z.string().min(32, "expected a secret of at least 32 characters").optional(),
  /** True when the Proxy is served over plain http (no TLS terminator in front): cookies lose `Secure`. */
  DEFGUARD_PROXY_COOKIE_INSECURE: bool(false),
  /** Removed: the Proxy no longer dials Core. Read only to warn an upgrading admin. */
  DEFGUARD_PROXY_UPSTREAM_GRPC_URL: z.string().optional(),
});

export type ProxyEnv = z.output<typeof proxyEnvSchema>;

export interface ProxyConfig {
  grpc: { host: string; port: number; certPath?: string; keyPath?: string; clientCaPath?: string };
  http: { host: string; port: number };
  coreTimeoutMs: number;
  log: { level: ProxyEnv["DEFGUARD_PROXY_LOG_LEVEL"]; format: ProxyEnv["DEFGUARD_LOG_FORMAT"] };
  cookie: { key?: string; insecure: boolean };
  removedUpstreamUrl?: string;
}

/** Parses the Proxy's environment; throws EnvError listing every bad variable. */
export function loadProxyConfig(env: Record<string, string | undefined>): ProxyConfig {
  const e = parseEnv(proxyEnvSchema, env);
  return Object.freeze({
    grpc: {
      host: e.DEFGUARD_GRPC_BIND_ADDRESS,
      port: e.DEFGUARD_PROXY_GRPC_PORT,
      certPath: e.DEFGUARD_PROXY_GRPC_CERT,
      keyPath: e.DEFGUARD_PROXY_GRPC_KEY,
      clientCaPath: e.DEFGUARD_PROXY_GRPC_CLIENT_CA,
    },
    http: { host: e.DEFGUARD_HTTP_BIND_ADDRESS, port: e.DEFGUARD_PROXY_HTTP_PORT },
    coreTimeoutMs: e.DEFGUARD_PROXY_CORE_TIMEOUT_MS,
    log: { level: e.DEFGUARD_PROXY_LOG_LEVEL, format: e.DEFGUARD_LOG_FORMAT },
    cookie: { key: e.DEFGUARD_PROXY_COOKIE_KEY, insecure: e.DEFGUARD_PROXY_COOKIE_INSECURE },
    removedUpstreamUrl: e.DEFGUARD_PROXY_UPSTREAM_GRPC_URL,
  });
}
