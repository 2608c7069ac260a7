// `bun proxy/main.ts` as a real child process: startup log lines, configuration errors (exit 1 naming
// the variable), the removed-variable warning, and clean exit 0 on SIGTERM and SIGINT.
import { describe, expect, test } from "bun:test";
import { fileURLToPath } from "node:url";
import { type TestCa, makeCa, makeCert, removeCa } from "./support/certs.ts";

const MAIN = fileURLToPath(new URL("../proxy/main.ts", import.meta.url));
const LOOPBACK = {
  DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
  DEFGUARD_PROXY_GRPC_PORT: "0",
  DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
  DEFGUARD_PROXY_HTTP_PORT: "0",
};

/** Only what Bun needs from our environment, so no DEFGUARD_* of the machine leaks in. */
function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env };
}

/** Runs the proxy until it exits by itself (a startup failure). */
async function runToExit(env: Record<string, string>) {
  const proc = Bun.spawn(["bun", MAIN], { env: childEnv(env), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

/** Runs the proxy until `marker` is logged, then sends `signal`; returns its output and exit code. */
async function runThenSignal(env: Record<string, string>, signal: "SIGTERM" | "SIGINT" = "SIGTERM", marker = "Web server is listening") {
  const proc = Bun.spawn(["bun", MAIN], { env: childEnv(env), stdout: "pipe", stderr: "pipe" });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let stdout = "";
  const deadline = Date.now() + 30_000;
  try {
    while (!stdout.includes(marker) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += decoder.decode(value, { stream: true });
    }
    proc.kill(signal);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stdout += decoder.decode(value, { stream: true });
    }
  } finally {
    proc.kill("SIGKILL");
  }
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

describe("startup", () => {
  test("logs the upgrade notes' lines with the real addresses and exits 0 on SIGTERM", async () => {
    const { code, stdout, stderr } = await runThenSignal(LOOPBACK);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const line = (re: RegExp) => stdout.split("\n").find((l) => re.test(l));
    expect(line(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z  INFO defguard_proxy::server: Starting Defguard proxy server$/)).toBeDefined();
    expect(line(/ INFO defguard_proxy::server: gRPC server is listening on 127\.0\.0\.1:[1-9]\d*$/)).toBeDefined();
    expect(line(/ INFO defguard_proxy::server: Web server is listening on 127\.0\.0\.1:[1-9]\d*$/)).toBeDefined();
    expect(line(/ WARN defguard_proxy::server: gRPC TLS is off/)).toBeDefined();
    expect(line(/DEFGUARD_PROXY_COOKIE_KEY is unset/)).toBeDefined();
    expect(line(/Received SIGTERM, shutting down$/)).toBeDefined();
    expect(line(/Defguard proxy stopped$/)).toBeDefined();
  });

  test("exits 0 on SIGINT", async () => {
    const { code, stdout } = await runThenSignal(LOOPBACK, "SIGINT");
    expect(code).toBe(0);
    expect(stdout).toContain("Received SIGINT, shutting down");
  });

  test("DEFGUARD_PROXY_UPSTREAM_GRPC_URL: a warning saying what to do instead, and the proxy still starts", async () => {
    const { code, stdout } = await runThenSignal({ ...LOOPBACK, DEFGUARD_PROXY_UPSTREAM_GRPC_URL: "http://core:50055" });
    expect(code).toBe(0);
    expect(stdout).toContain(
      "WARN defguard_proxy::server: DEFGUARD_PROXY_UPSTREAM_GRPC_URL is set but was removed: the Proxy no longer connects to Core; Core now connects to the Proxy. Remove it here and set DEFGUARD_PROXY_URL on the Core",
    );
    expect(stdout).not.toContain("http://core:50055");
    expect(stdout).toContain("Web server is listening on");
  });

  test("DEFGUARD_LOG_FORMAT=json: one JSON object a line", async () => {
    const { code, stdout } = await runThenSignal({ ...LOOPBACK, DEFGUARD_LOG_FORMAT: "json", DEFGUARD_PROXY_COOKIE_KEY: "k".repeat(40) });
    expect(code).toBe(0);
    const records = stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(records[0]).toMatchObject({ level: "INFO", target: "defguard_proxy::server", fields: { message: "Starting Defguard proxy server" } });
    expect(records.some((r) => /^gRPC server is listening on 127\.0\.0\.1:\d+$/.test(r.fields.message))).toBe(true);
    expect(stdout).not.toContain("k".repeat(40));
  });

  test("DEFGUARD_PROXY_LOG_LEVEL=warn hides INFO lines", async () => {
    const { code, stdout } = await runThenSignal({ ...LOOPBACK, DEFGUARD_PROXY_LOG_LEVEL: "warn" }, "SIGTERM", "gRPC TLS is off");
    expect(code).toBe(0);
    expect(stdout).not.toContain(" INFO ");
    expect(stdout).toContain(" WARN defguard_proxy::server: gRPC TLS is off");
  });
});

describe("configuration errors: exit 1 naming the variable", () => {
  const invalid: [string, string, string][] = [
    ["DEFGUARD_PROXY_GRPC_PORT", "grpc", "expected a port number (0-65535)"],
    ["DEFGUARD_PROXY_GRPC_PORT", "70000", "expected a port number (0-65535)"],
    ["DEFGUARD_PROXY_HTTP_PORT", "-1", "expected a port number (0-65535)"],
    ["DEFGUARD_PROXY_CORE_TIMEOUT_MS", "0", "expected a timeout in milliseconds"],
    ["DEFGUARD_PROXY_CORE_TIMEOUT_MS", "5s", "expected a timeout in milliseconds"],
    ["DEFGUARD_PROXY_LOG_LEVEL", "loud", "expected one of trace, debug, info, warn, error"],
    ["DEFGUARD_LOG_FORMAT", "xml", "expected text or json"],
    ["DEFGUARD_PROXY_COOKIE_KEY", "short", "expected a secret of at least 32 characters"],
    ["DEFGUARD_PROXY_SHARED_SECRET", "short-secret", "expected a secret of at least 32 characters (e.g. openssl rand -hex 32), the same on the core and the proxy"],
    ["DEFGUARD_PROXY_COOKIE_INSECURE", "maybe", "expected true or false"],
  ];
  for (const [variable, value, message] of invalid) {
    test(`${variable}=${value}`, async () => {
      const { code, stdout, stderr } = await runToExit({ ...LOOPBACK, [variable]: value });
      expect(code).toBe(1);
      expect(stderr).toContain(`${variable}: ${message}`);
      expect(stderr).toStartWith("defguard proxy: cannot start, invalid environment:");
      expect(stdout).toBe("");
    });
  }

  test("every bad variable is listed at once", async () => {
    const { code, stderr } = await runToExit({ DEFGUARD_PROXY_GRPC_PORT: "x", DEFGUARD_LOG_FORMAT: "xml" });
    expect(code).toBe(1);
    expect(stderr).toContain("DEFGUARD_PROXY_GRPC_PORT:");
    expect(stderr).toContain("DEFGUARD_LOG_FORMAT:");
  });

  test("a gRPC port already in use", async () => {
    const blocker = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const { code, stderr } = await runToExit({ ...LOOPBACK, DEFGUARD_PROXY_GRPC_PORT: String(blocker.port) });
      expect(code).toBe(1);
      expect(stderr).toContain("defguard proxy: cannot start, cannot listen for Cores on gRPC (DEFGUARD_GRPC_BIND_ADDRESS / DEFGUARD_PROXY_GRPC_PORT)");
    } finally {
      blocker.stop(true);
    }
  });

  test("an HTTP port already in use", async () => {
    const blocker = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    try {
      const { code, stderr } = await runToExit({ ...LOOPBACK, DEFGUARD_PROXY_HTTP_PORT: String(blocker.port) });
      expect(code).toBe(1);
      expect(stderr).toContain("defguard proxy: cannot start, cannot listen for HTTP (DEFGUARD_HTTP_BIND_ADDRESS / DEFGUARD_PROXY_HTTP_PORT)");
    } finally {
      blocker.stop(true);
    }
  });
});

describe("TLS settings: exit 1 naming the variable", () => {
  let ca: TestCa;

  test("only DEFGUARD_PROXY_GRPC_CERT set", async () => {
    ca = await makeCa();
    try {
      const server = await makeCert(ca, { names: ["localhost"] });
      const { code, stderr } = await runToExit({ ...LOOPBACK, DEFGUARD_PROXY_GRPC_CERT: server.certPath });
      expect(code).toBe(1);
      expect(stderr).toBe(
        "defguard proxy: cannot start, DEFGUARD_PROXY_GRPC_KEY: is unset while DEFGUARD_PROXY_GRPC_CERT is set; set both for TLS, or neither\n",
      );
      const keyOnly = await runToExit({ ...LOOPBACK, DEFGUARD_PROXY_GRPC_KEY: server.keyPath });
      expect(keyOnly.code).toBe(1);
      expect(keyOnly.stderr).toContain("DEFGUARD_PROXY_GRPC_CERT: is unset while DEFGUARD_PROXY_GRPC_KEY is set");
    } finally {
      removeCa(ca);
    }
  });

  test("a certificate file that does not exist", async () => {
    const { code, stderr } = await runToExit({
      ...LOOPBACK,
      DEFGUARD_PROXY_GRPC_CERT: "/nonexistent/cert.pem",
      DEFGUARD_PROXY_GRPC_KEY: "/nonexistent/key.pem",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("DEFGUARD_PROXY_GRPC_CERT: cannot read /nonexistent/cert.pem (ENOENT); expected a readable PEM file");
  });
});
