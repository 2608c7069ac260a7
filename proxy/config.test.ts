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
    });
    expect(config).toEqual({
      grpc: { host: "::", port: 0, certPath: "/etc/proxy.crt", keyPath: "/etc/proxy.key", clientCaPath: "/etc/core-ca.crt" },
      http: { host: "127.0.0.1", port: 65535 },
      coreTimeoutMs: 250,
      log: { level: "debug", format: "json" },
      cookie: { key: "x".repeat(32), insecure: true },
      removedUpstreamUrl: "http://core:50055",
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
  ])("rejects %s=%s", (variable, value, message) => {
    expect(problems({ [variable]: value })).toEqual([`${variable}: ${message}`]);
  });
});
