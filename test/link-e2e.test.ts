// The reversed link end to end: real `bun proxy/main.ts` and `bun core/main.ts` processes on loopback.
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createClientMfaTokens } from "../core/flows/client-mfa-token.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { type ServiceProcess, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(60_000);

const AUTH_SECRET = "link-e2e-secret-of-at-least-32-characters";
let db: TestDatabase;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.close(); // an embedded database serves one process: the core under test
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop("SIGKILL")));
});
afterAll(async () => {
  await db.cleanup();
});

function track<T extends ServiceProcess>(service: T): T {
  running.push(service);
  return service;
}

function core(proxyUrl: string | undefined, env: Record<string, string> = {}): ServiceProcess {
  return track(startCoreProcess({ ...db.env, ...(proxyUrl ? { DEFGUARD_PROXY_URL: proxyUrl } : {}), ...env }));
}

async function healthGrpc(httpPort: number): Promise<{ status: number; body: string; connected: string | null; version: string | null }> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/health-grpc`);
  return {
    status: response.status,
    body: await response.text(),
    connected: response.headers.get("defguard-core-connected"),
    version: response.headers.get("defguard-core-version"),
  };
}

describe("proxy and core processes", () => {
  test("log the upgrade notes' lines, connect, and health-grpc turns 200", async () => {
    const proxy = track(await startProxyProcess());
    expect(proxy.matching("INFO defguard_proxy::server: Starting Defguard proxy server")).toHaveLength(1);
    expect(proxy.matching(`gRPC server is listening on 127.0.0.1:${proxy.grpcPort}`)).toHaveLength(1);
    expect(await healthGrpc(proxy.httpPort)).toMatchObject({ status: 503, body: "Not connected to Defguard Core", connected: "false" });

    const url = `http://127.0.0.1:${proxy.grpcPort}`;
    const c = core(url);
    await c.waitFor(`INFO defguard::grpc: Connecting to proxy at ${url}`);
    await c.waitFor(`INFO defguard::grpc: Connected to proxy at ${url}`);
    expect(await proxy.waitFor(/INFO defguard_proxy: RPC client connected from: 127\.0\.0\.1:\d+$/)).toBeDefined();
    expect(await healthGrpc(proxy.httpPort)).toEqual({ status: 200, body: "alive", connected: "true", version: "1.6.0" });
  });

  test("the core reconnects after the proxy restarts on the same port", async () => {
    const first = track(await startProxyProcess());
    const { grpcPort } = first;
    const url = `http://127.0.0.1:${grpcPort}`;
    const c = core(url);
    await c.waitFor("Connected to proxy at");
    const mark = c.lines.length;
    expect(await first.stop()).toBe(0);
    await c.waitFor(`Disconnected from proxy at ${url}`, { from: mark });

    const second = track(await startProxyProcess({ DEFGUARD_PROXY_GRPC_PORT: String(grpcPort) }));
    await c.waitFor(`Connected to proxy at ${url}`, { from: mark });
    await second.waitFor("RPC client connected from: 127.0.0.1:");
    expect(await healthGrpc(second.httpPort)).toMatchObject({ status: 200, connected: "true" });
  });

  test("while the proxy is down the core says why and keeps retrying", async () => {
    const probe = track(await startProxyProcess());
    const port = probe.grpcPort;
    await probe.stop();
    const c = core(`http://127.0.0.1:${port}`);
    let from = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const line = await c.waitFor("Cannot connect to proxy", { from });
      expect(line).toContain("connection refused");
      from = c.lines.indexOf(line, from) + 1;
    }
    const proxy = track(await startProxyProcess({ DEFGUARD_PROXY_GRPC_PORT: String(port) }));
    await c.waitFor("Connected to proxy at");
    expect(await healthGrpc(proxy.httpPort)).toMatchObject({ status: 200 });
  });

  test("requests travel HTTP -> proxy -> gRPC -> core -> back, concurrently, each to its own answer", async () => {
    // The per-token guessing limit would answer 429 to this many polls with one token: not what is tested here.
    const proxy = track(await startProxyProcess({ DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0" }, "bench/bench-proxy.ts"));
    const c = core(`http://127.0.0.1:${proxy.grpcPort}`, { DEFGUARD_AUTH_SECRET: AUTH_SECRET });
    await c.waitFor("Connected to proxy at");
    const forged = await createClientMfaTokens(`${AUTH_SECRET}-other`).signClientMfaToken({ pubkey: "k", locationId: 1, method: 0 });
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`http://127.0.0.1:${proxy.httpPort}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    const validation = () => post("/api/v1/bench/client-mfa-token-validation", { token: forged });
    const poll = () => post("/api/v1/poll", { token: "nope" });
    expect(await validation()).toEqual({ status: 200, body: { token_valid: false } });
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? validation() : poll())));
    answers.forEach((answer, i) => {
      if (i % 2) expect(answer).toEqual({ status: 200, body: { token_valid: false } });
      else expect(answer).toMatchObject({ status: 401, body: { error: expect.stringContaining("invalid polling token") } });
    });
  });

  test("SIGTERM and SIGINT stop the core cleanly with exit 0; the proxy logs the disconnect", async () => {
    const proxy = track(await startProxyProcess());
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      const mark = proxy.lines.length;
      const c = core(`http://127.0.0.1:${proxy.grpcPort}`);
      await c.waitFor("Connected to proxy at");
      expect(await c.stop(signal)).toBe(0);
      expect(c.matching("the core is shutting down")).toHaveLength(1);
      expect(c.matching("Defguard core stopped")).toHaveLength(1);
      await proxy.waitFor("RPC client disconnected", { from: mark });
    }
  });

  test("without DEFGUARD_PROXY_URL the core runs without the link and says so", async () => {
    const c = core(undefined);
    await c.waitFor("DEFGUARD_PROXY_URL is not set: the core runs without a link to a proxy");
    expect(c.matching("Connecting to proxy")).toHaveLength(0);
    expect(await c.stop()).toBe(0);
  });

  test("an admin API port in use stops startup with exit 1 naming DEFGUARD_HTTP_PORT", async () => {
    const taken = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("taken") });
    try {
      const c = core(undefined, { DEFGUARD_HTTP_PORT: String(taken.port) });
      expect(await c.exited).toBe(1);
      expect(c.output).toContain("defguard-core: cannot start, cannot listen for the admin API (DEFGUARD_HTTP_BIND_ADDRESS / DEFGUARD_HTTP_PORT)");
    } finally {
      await taken.stop(true);
    }
  });
});
