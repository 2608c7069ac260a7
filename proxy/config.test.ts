import { describe, expect, test } from "bun:test";
import { EnvError } from "../shared/env.ts";
import { loadProxyConfig } from "./config.ts";

function problems(env: Record<string, string>): string[] {
  try {
    loadProxyConfig(env);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  throw new Error("accepted");
}

describe("loadProxyConfig", () => {
  test("defaults are Defguard's", () => {
    expect(loadProxyConfig({})).toEqual({
      grpc: { host: "0.0.0.0", port: 50051, certPath: undefined, keyPath: undefined, clientCaPath: undefined },
      http: { host: "0.0.0.0", port: 8080 },
      coreTimeoutMs: 5000,
      log: { level: "info", format: "text" },
      cookie: { key: undefined, insecure: false },
      removedUpstreamUrl: undefined,
      rateLimit: undefined,
      secretAttemptsPerMinute: 10,
      trustedProxies: [],
      requestTimeoutMs: 30_000,
      metricsPort: undefined,
    });
  });

  test("accepts every variable set to a valid value", () => {
    const config = loadProxyConfig({
      DEFGUARD_GRPC_BIND_ADDRESS: "::",
      DEFGUARD_PROXY_GRPC_PORT: "0",
      DEFGUARD_PROXY_GRPC_CERT: "/etc/proxy.crt",
      DEFGUARD_PROXY_GRPC_KEY: "/etc/proxy.key",
      DEFGUARD_PROXY_GRPC_CLIENT_CA: "/etc/core-ca.crt",
      DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_PROXY_HTTP_PORT: "65535",
      DEFGUARD_PROXY_CORE_TIMEOUT_MS: "250",
      DEFGUARD_PROXY_LOG_LEVEL: "DEBUG",
      DEFGUARD_LOG_FORMAT: "json",
      DEFGUARD_PROXY_COOKIE_KEY: "x".repeat(32),
      DEFGUARD_PROXY_COOKIE_INSECURE: "true",
      DEFGUARD_PROXY_UPSTREAM_GRPC_URL: "http://core:50055",
      DEFGUARD_PROXY_RATELIMIT_PERSECOND: "2",
      DEFGUARD_PROXY_RATELIMIT_BURST: "5",
      DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0",
      DEFGUARD_PROXY_TRUSTED_PROXIES: "10.0.0.1, 192.168.0.0/16,::1",
      DEFGUARD_PROXY_REQUEST_TIMEOUT_MS: "251",
      DEFGUARD_PROXY_METRICS_PORT: "9100",
    });
    expect(config).toEqual({
      grpc: { host: "::", port: 0, certPath: "/etc/proxy.crt", keyPath: "/etc/proxy.key", clientCaPath: "/etc/core-ca.crt" },
      http: { host: "127.0.0.1", port: 65535 },
      coreTimeoutMs: 250,
      log: { level: "debug", format: "json" },
      cookie: { key: "x".repeat(32), insecure: true },
      removedUpstreamUrl: "http://core:50055",
      rateLimit: { burst: 5, refillSeconds: 2 },
      secretAttemptsPerMinute: 0,
      trustedProxies: ["10.0.0.1/32", "192.168.0.0/16", "::1/128"],
      requestTimeoutMs: 251,
      metricsPort: 9100,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test.each([
    ["DEFGUARD_PROXY_GRPC_PORT", "65536", "expected a port number (0-65535)"],
    ["DEFGUARD_PROXY_HTTP_PORT", "http", "expected a port number (0-65535)"],
    ["DEFGUARD_PROXY_CORE_TIMEOUT_MS", "-5", "expected a timeout in milliseconds, a positive whole number"],
    ["DEFGUARD_PROXY_LOG_LEVEL", "verbose", "expected one of trace, debug, info, warn, error"],
    ["DEFGUARD_LOG_FORMAT", "yaml", "expected text or json"],
    ["DEFGUARD_PROXY_COOKIE_KEY", "x".repeat(31), "expected a secret of at least 32 characters"],
    ["DEFGUARD_PROXY_COOKIE_INSECURE", "on", "expected true or false"],
    ["DEFGUARD_PROXY_SHARED_SECRET", "x".repeat(31), "expected a secret of at least 32 characters (e.g. openssl rand -hex 32), the same on the core and the proxy"],
    ["DEFGUARD_PROXY_RATELIMIT_PERSECOND", "-1", "expected a whole number of seconds (0 turns rate limiting off)"],
    ["DEFGUARD_PROXY_RATELIMIT_PERSECOND", "0.5", "expected a whole number of seconds (0 turns rate limiting off)"],
    ["DEFGUARD_PROXY_RATELIMIT_BURST", "ten", "expected a whole number of requests (0 turns rate limiting off)"],
    ["DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE", "1e3", "expected a whole number of attempts per minute (0 turns it off)"],
    ["DEFGUARD_PROXY_TRUSTED_PROXIES", "10.0.0.1,proxy.lan", 'expected comma-separated IP addresses or CIDRs, got "proxy.lan"'],
    ["DEFGUARD_PROXY_TRUSTED_PROXIES", "10.0.0.0/40", 'expected comma-separated IP addresses or CIDRs, got "10.0.0.0/40"'],
    ["DEFGUARD_PROXY_REQUEST_TIMEOUT_MS", "0", "expected a timeout in milliseconds, a positive whole number"],
    ["DEFGUARD_PROXY_REQUEST_TIMEOUT_MS", "5000", "expected more than DEFGUARD_PROXY_CORE_TIMEOUT_MS (5000), so a slow Core's 504 reaches the client first"],
    ["DEFGUARD_PROXY_METRICS_PORT", "70000", "expected a port number (0-65535)"],
  ])("rejects %s=%s", (variable, value, message) => {
    expect(problems({ [variable]: value })).toEqual([`${variable}: ${message}`]);
  });

  test.each([
    [{ DEFGUARD_PROXY_RATELIMIT_PERSECOND: "1" }, undefined],
    [{ DEFGUARD_PROXY_RATELIMIT_BURST: "10" }, undefined],
    [{ DEFGUARD_PROXY_RATELIMIT_PERSECOND: "0", DEFGUARD_PROXY_RATELIMIT_BURST: "10" }, undefined],
    [{ DEFGUARD_PROXY_RATELIMIT_PERSECOND: "1", DEFGUARD_PROXY_RATELIMIT_BURST: "10" }, { burst: 10, refillSeconds: 1 }],
  ])("rate limiting needs both variables above 0, as in Defguard: %p -> %p", (env, expected) => {
    expect(loadProxyConfig(env).rateLimit).toEqual(expected);
  });

  test("unset request timeout: 30 s, or the Core timeout plus 5 s when that is longer", () => {
    expect(loadProxyConfig({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "1000" }).requestTimeoutMs).toBe(30_000);
    expect(loadProxyConfig({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "60000" }).requestTimeoutMs).toBe(65_000);
  });
});
