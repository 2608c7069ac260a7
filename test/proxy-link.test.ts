// The link over real gRPC: a Core connecting (version metadata, logs, headers), refusals, both service
// paths, IPv6, keepalive pings, and shutdown. The Proxy runs in-process; test Cores dial it with grpc-js.
import { describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { COMPONENT_VERSION, MIN_PEER_VERSION, SYSTEM_HEADER, VERSION_HEADER } from "../shared/version.ts";
import { instanceInfo, useLinkFixture } from "./support/link-fixture.ts";
import { waitFor } from "./support/test-core.ts";

const f = useLinkFixture();

describe("link", () => {
  test("a Core connects: health-grpc alive, headers name it, the Proxy sends its version, connect is logged", async () => {
    const { url, lines } = await f.setup();
    expect((await fetch(`${url}/api/v1/health-grpc`)).status).toBe(503);
    const c = await f.core({});
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
    const { url, lines } = await f.setup();
    const c = await f.core({});
    c.cancel();
    await waitFor(() => f.proxy.proxy.links.connectedCount === 0, 10_000, "disconnect");
    expect(lines.some((l) => / INFO defguard_proxy: RPC client disconnected: 127\.0\.0\.1:\d+ \(/.test(l))).toBe(true);
    const res = await fetch(`${url}/api/v1/health-grpc`);
    expect([res.status, await res.text()]).toEqual([503, "Not connected to Defguard Core"]);
    expect(res.headers.get("defguard-core-connected")).toBe("false");
    expect(res.headers.get("defguard-core-version")).toBe("1.6.0");
  });

  test("the 2.x path /defguard.proxy.v1.Proxy/Bidi serves the same link", async () => {
    await f.setup();
    await f.core({ v1: true, answer: () => instanceInfo("v1-device") });
    const res = await f.poll();
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
      const { lines } = await f.setup();
      const c = f.dial({ version });
      const status = await c.status;
      expect([status.code, status.details]).toEqual([grpc.status.FAILED_PRECONDITION, details]);
      expect(f.proxy.proxy.links.connectedCount).toBe(0);
      expect(lines.some((l) => l.includes("WARN defguard_proxy: Refused RPC client 127.0.0.1:"))).toBe(true);
    });
  }
});

describe("link transport", () => {
  test("binds IPv6 loopback and logs the address in brackets", async () => {
    const { lines } = await f.setup({ DEFGUARD_GRPC_BIND_ADDRESS: "::1", DEFGUARD_HTTP_BIND_ADDRESS: "::1" });
    const grpcLine = lines.find((l) => l.includes("gRPC server is listening on"))!;
    expect(grpcLine).toMatch(/gRPC server is listening on \[::1\]:\d+$/);
    expect(lines.some((l) => /Web server is listening on \[::1\]:\d+$/.test(l))).toBe(true);
    const c = f.dial({ target: `[::1]:${f.proxy.proxy.grpcPort}`, answer: () => instanceInfo("v6") });
    await c.headers;
    expect(lines.some((l) => /RPC client connected from: \[::1\]:\d+$/.test(l))).toBe(true);
    const res = await fetch(`http://[::1]:${f.proxy.proxy.httpPort}/api/v1/poll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"token":"t"}',
    });
    expect(res.status).toBe(200);
    expect(c.requests[0]!.device_info?.ip_address).toBe("::1");
  });

  test("a Core sending HTTP/2 keepalive pings often is not cut off", async () => {
    await f.setup();
    const c = await f.core({
      answer: () => instanceInfo("still-here"),
      channelOptions: { "grpc.keepalive_time_ms": 500, "grpc.keepalive_timeout_ms": 2000, "grpc.keepalive_permit_without_calls": 1 },
    });
    await Bun.sleep(2500); // several ping rounds; the assertion is on the outcome, not the time
    expect(f.proxy.proxy.links.connectedCount).toBe(1);
    const res = await f.poll();
    expect(res.status).toBe(200);
    expect(c.requests).toHaveLength(1);
  });
});

describe("shutdown", () => {
  test("stop() fails pending requests with 503 and ends the Core's stream with UNAVAILABLE", async () => {
    await f.setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "45000" });
    const c = await f.core({ answer: () => undefined });
    const pending = f.poll();
    await waitFor(() => c.requests.length === 1);
    const stopped = f.proxy.stop();
    const res = await pending;
    expect([res.status, await res.json()]).toEqual([503, { error: "Defguard proxy is shutting down" }]);
    const status = await c.status;
    expect([status.code, status.details]).toEqual([grpc.status.UNAVAILABLE, "Defguard proxy is shutting down"]);
    await stopped;
    expect(f.proxy.lines.some((l) => /RPC client disconnected: 127\.0\.0\.1:\d+ \(Defguard proxy is shutting down\)$/.test(l))).toBe(true);
    f.forgetProxy();
  });
});
