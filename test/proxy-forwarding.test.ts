// Forwarding over real gRPC: the Proxy runs in-process on loopback, test Cores dial it with grpc-js.
import { afterEach, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { COMPONENT_VERSION, MIN_PEER_VERSION, SYSTEM_HEADER, VERSION_HEADER } from "../shared/version.ts";
import { type TestCore, type TestCoreOptions, connectTestCore, waitFor } from "./support/test-core.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";

let proxy: TestProxy | undefined;
const cores: TestCore[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) core.close();
  await proxy?.stop();
  proxy = undefined;
});

async function setup(env: Record<string, string> = {}) {
  proxy = await startTestProxy(env);
  return proxy;
}

async function core(options: Omit<TestCoreOptions, "target">): Promise<TestCore> {
  const c = connectTestCore({ target: proxy!.target, ...options });
  cores.push(c);
  await c.headers;
  return c;
}

const poll = (token = "poll-token", headers: Record<string, string> = {}) =>
  fetch(`${proxy!.url}/api/v1/poll`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ token }),
  });

const instanceInfo = (name: string) => ({
  instance_info: {
    device_config: {
      device: { id: 1, name, pubkey: "pk", user_id: 2, created_at: 1700000000 },
      configs: [],
      instance: { id: "inst", name: "Defguard", url: "http://core", proxy_url: "http://proxy", username: "alice" },
    },
  },
});

describe("link", () => {
  test("a Core connects: health-grpc alive, headers name it, the Proxy sends its version, connect is logged", async () => {
    const { url, lines } = await setup();
    expect((await fetch(`${url}/api/v1/health-grpc`)).status).toBe(503);
    const c = await core({});
    const headers = await c.headers;
    expect(headers.get(VERSION_HEADER)).toEqual([COMPONENT_VERSION]);
    expect(String(headers.get(SYSTEM_HEADER)[0]).split(";").length).toBe(3);
    const res = await fetch(`${url}/api/v1/health-grpc`);
    expect([res.status, await res.text()]).toEqual([200, "alive"]);
    expect(res.headers.get("defguard-core-connected")).toBe("true");
    expect(res.headers.get("defguard-core-version")).toBe("1.6.0");
    expect(lines.some((l) => / INFO defguard_proxy: RPC client connected from: 127\.0\.0\.1:\d+$/.test(l))).toBe(true);
  });

  test("a Core leaving is logged, health-grpc turns 503, the version header stays", async () => {
    const { url, lines } = await setup();
    const c = await core({});
    c.cancel();
    await waitFor(() => proxy!.proxy.links.connectedCount === 0, 10_000, "disconnect");
    expect(lines.some((l) => / INFO defguard_proxy: RPC client disconnected: 127\.0\.0\.1:\d+ \(/.test(l))).toBe(true);
    const res = await fetch(`${url}/api/v1/health-grpc`);
    expect([res.status, await res.text()]).toEqual([503, "Not connected to Defguard Core"]);
    expect(res.headers.get("defguard-core-connected")).toBe("false");
    expect(res.headers.get("defguard-core-version")).toBe("1.6.0");
  });

  test("the 2.x path /defguard.proxy.v1.Proxy/Bidi serves the same link", async () => {
    await setup();
    await core({ v1: true, answer: () => instanceInfo("v1-device") });
    const res = await poll();
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).device_config.device.name).toBe("v1-device");
  });

  const refusals: [string, string | null, string][] = [
    ["missing", null, `missing defguard-component-version metadata; Defguard Core ${MIN_PEER_VERSION} or newer is required`],
    ["non-semver", "banana", 'defguard-component-version "banana" is not a semantic version'],
    ["too old", "0.0.1", `Defguard Core "0.0.1" is too old; ${MIN_PEER_VERSION} or newer is required`],
  ];
  for (const [what, version, details] of refusals) {
    test(`a Core with a ${what} version is refused with FAILED_PRECONDITION`, async () => {
      const { lines } = await setup();
      const c = connectTestCore({ target: proxy!.target, version });
      cores.push(c);
      const status = await c.status;
      expect([status.code, status.details]).toEqual([grpc.status.FAILED_PRECONDITION, details]);
      expect(proxy!.proxy.links.connectedCount).toBe(0);
      expect(lines.some((l) => l.includes("WARN defguard_proxy: Refused RPC client 127.0.0.1:"))).toBe(true);
    });
  }
});

describe("link transport", () => {
  test("binds IPv6 loopback and logs the address in brackets", async () => {
    const { lines } = await setup({ DEFGUARD_GRPC_BIND_ADDRESS: "::1", DEFGUARD_HTTP_BIND_ADDRESS: "::1" });
    const grpcLine = lines.find((l) => l.includes("gRPC server is listening on"))!;
    expect(grpcLine).toMatch(/gRPC server is listening on \[::1\]:\d+$/);
    expect(lines.some((l) => /Web server is listening on \[::1\]:\d+$/.test(l))).toBe(true);
    const c = connectTestCore({ target: `[::1]:${proxy!.proxy.grpcPort}`, answer: () => instanceInfo("v6") });
    cores.push(c);
    await c.headers;
    expect(lines.some((l) => /RPC client connected from: \[::1\]:\d+$/.test(l))).toBe(true);
    const res = await fetch(`http://[::1]:${proxy!.proxy.httpPort}/api/v1/poll`, { method: "POST", body: '{"token":"t"}' });
    expect(res.status).toBe(200);
    expect(c.requests[0]!.device_info?.ip_address).toBe("::1");
  });

  test("a Core sending HTTP/2 keepalive pings often is not cut off", async () => {
    await setup();
    const c = await core({
      answer: () => instanceInfo("still-here"),
      channelOptions: { "grpc.keepalive_time_ms": 500, "grpc.keepalive_timeout_ms": 2000, "grpc.keepalive_permit_without_calls": 1 },
    });
    await Bun.sleep(2500); // several ping rounds; the assertion is on the outcome, not the time
    expect(proxy!.proxy.links.connectedCount).toBe(1);
    const res = await poll();
    expect(res.status).toBe(200);
    expect(c.requests).toHaveLength(1);
  });
});

describe("forwarding", () => {
  test("an answered request: 200 with the payload's JSON; the Core sees device_info", async () => {
    await setup();
    const c = await core({ answer: () => instanceInfo("laptop") });
    const res = await poll("tok", {
      "user-agent": "defguard-client/1.6.3",
      "defguard-client-version": "1.6.3",
      "defguard-client-platform": "Linux;6.1;x86_64",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({
      device_config: {
        device: { id: 1, name: "laptop", pubkey: "pk", user_id: 2, created_at: 1700000000 },
        configs: [],
        instance: {
          id: "inst",
          name: "Defguard",
          url: "http://core",
          proxy_url: "http://proxy",
          username: "alice",
          enterprise_enabled: false,
          disable_all_traffic: false,
          openid_display_name: null,
          client_traffic_policy: null,
        },
        token: null,
      },
    });
    expect(c.requests).toHaveLength(1);
    const request = c.requests[0]!;
    expect(request.payload).toBe("instance_info");
    expect(request.instance_info).toEqual({ token: "tok" });
    expect(request.device_info).toEqual({
      ip_address: "127.0.0.1",
      user_agent: "defguard-client/1.6.3",
      version: "1.6.3",
      platform: "Linux;6.1;x86_64",
      _user_agent: "user_agent",
      _version: "version",
      _platform: "platform",
    });
    expect(proxy!.proxy.links.pendingCount).toBe(0);
  });

  test("device_info takes the leftmost X-Forwarded-For", async () => {
    await setup();
    const c = await core({ answer: () => instanceInfo("x") });
    await poll("t", { "x-forwarded-for": "203.0.113.9, 10.0.0.1" });
    expect(c.requests[0]!.device_info?.ip_address).toBe("203.0.113.9");
  });

  const codes: [string, number, number, string][] = [
    ["UNAUTHENTICATED", 16, 401, "Invalid token"],
    ["INVALID_ARGUMENT", 3, 400, "Invalid public key"],
    ["PERMISSION_DENIED", 7, 403, "Not allowed"],
    ["NOT_FOUND", 5, 404, "Device not found"],
    ["FAILED_PRECONDITION", 9, 428, "Set up MFA first"],
    ["INTERNAL", 13, 500, "Internal server error"],
    ["UNKNOWN", 2, 500, "Internal server error"],
    ["UNIMPLEMENTED", 12, 500, "Internal server error"],
  ];
  for (const [name, code, status, body] of codes) {
    test(`core_error ${name} (${code}) -> ${status} ${body}`, async () => {
      const { lines } = await setup();
      const message = status === 500 ? "database exploded at row 7" : body;
      await core({ answer: () => ({ core_error: { status_code: code, message } }) });
      const res = await poll();
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: body });
      if (status === 500) {
        const requestId = res.headers.get("x-request-id")!;
        expect(lines.some((l) => l.includes("database exploded at row 7") && l.includes(requestId))).toBe(true);
      }
    });
  }

  test("an Empty answer: 200 with an empty body", async () => {
    await setup();
    await core({ answer: () => ({ empty: {} }) });
    const res = await fetch(`${proxy!.url}/api/v1/password-reset/request`, { method: "POST", body: '{"email":"a@example.com"}' });
    expect([res.status, await res.text()]).toEqual([200, ""]);
  });

  test("an answer of the wrong kind: 500, logged", async () => {
    const { lines } = await setup();
    await core({ answer: () => ({ empty: {} }) });
    const res = await poll();
    expect([res.status, await res.json()]).toEqual([500, { error: "Internal server error" }]);
    expect(lines.some((l) => l.includes("Defguard Core answered empty where instance_info was expected"))).toBe(true);
  });

  test("no Core connected: 503 at once", async () => {
    await setup();
    const res = await poll();
    expect([res.status, await res.json()]).toEqual([503, { error: "Not connected to Defguard Core" }]);
    expect(res.headers.get("defguard-core-connected")).toBe("false");
  });

  test("a Core that never answers: 504; its late answer is logged and dropped; nothing stays pending", async () => {
    const { lines } = await setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "300" });
    let release: () => void = () => {};
    const late = new Promise<void>((r) => (release = r));
    await core({ answer: async () => (await late, instanceInfo("late")) });
    const res = await poll();
    expect([res.status, await res.json()]).toEqual([504, { error: "Defguard Core did not answer in time" }]);
    expect(proxy!.proxy.links.pendingCount).toBe(0);
    release();
    await waitFor(() => lines.some((l) => l.includes("Dropping an answer for an unknown or expired request id")), 10_000, "drop log");
  });

  test("a Core whose stream is cancelled mid-request: 503 promptly, well before the timeout", async () => {
    await setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "45000" });
    let dying: TestCore | undefined;
    dying = await core({
      answer: () => {
        queueMicrotask(() => dying!.cancel());
        return undefined;
      },
    });
    const res = await poll();
    expect([res.status, await res.json()]).toEqual([503, { error: "Defguard Core disconnected before answering" }]);
    expect(proxy!.proxy.links.pendingCount).toBe(0);
  });

  test("two Cores share requests round-robin; one dying leaves the other serving", async () => {
    await setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "45000" });
    const a = await core({ answer: () => instanceInfo("from-a") });
    const b = await core({ answer: () => instanceInfo("from-b") });
    await waitFor(() => proxy!.proxy.links.connectedCount === 2);
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push(((await (await poll()).json()) as any).device_config.device.name);
    expect(names.sort()).toEqual(["from-a", "from-a", "from-b", "from-b"]);
    expect([a.requests.length, b.requests.length]).toEqual([2, 2]);
    a.cancel();
    await waitFor(() => proxy!.proxy.links.connectedCount === 1, 10_000, "a to leave");
    for (let i = 0; i < 3; i++) {
      const res = await poll();
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).device_config.device.name).toBe("from-b");
    }
    expect(proxy!.proxy.links.pendingCount).toBe(0);
  });

  test("concurrent requests each get their own answer; the pending map empties", async () => {
    await setup();
    await core({
      answer: async (r) => {
        await Bun.sleep(Number(r.instance_info!.token) % 7);
        return instanceInfo(`device-${r.instance_info!.token}`);
      },
    });
    const tokens = Array.from({ length: 40 }, (_, i) => String(i));
    const results = await Promise.all(tokens.map(async (t) => ((await (await poll(t)).json()) as any).device_config.device.name));
    expect(results).toEqual(tokens.map((t) => `device-${t}`));
    expect(proxy!.proxy.links.pendingCount).toBe(0);
  });
});

describe("shutdown", () => {
  test("stop() fails pending requests with 503 and ends the Core's stream with UNAVAILABLE", async () => {
    await setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "45000" });
    const c = await core({ answer: () => undefined });
    const pending = poll();
    await waitFor(() => c.requests.length === 1);
    const stopped = proxy!.stop();
    const res = await pending;
    expect([res.status, await res.json()]).toEqual([503, { error: "Defguard proxy is shutting down" }]);
    const status = await c.status;
    expect([status.code, status.details]).toEqual([grpc.status.UNAVAILABLE, "Defguard proxy is shutting down"]);
    await stopped;
    expect(proxy!.lines.some((l) => /RPC client disconnected: 127\.0\.0\.1:\d+ \(Defguard proxy is shutting down\)$/.test(l))).toBe(true);
    proxy = undefined;
  });
});
