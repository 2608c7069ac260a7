// Forwarding over real gRPC: answers, Core error codes, 503 and 504, round-robin over several Cores.
// The Proxy runs in-process on loopback; test Cores dial it with grpc-js.
import { describe, expect, test } from "bun:test";
import { instanceInfo, useLinkFixture } from "./support/link-fixture.ts";
import { type TestCore, waitFor } from "./support/test-core.ts";

const f = useLinkFixture();

describe("forwarding", () => {
  test("an answered request: 200 with the payload's JSON; the Core sees device_info", async () => {
    await f.setup();
    const c = await f.core({ answer: () => instanceInfo("laptop") });
    const res = await f.poll("tok", {
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
    expect(f.proxy.proxy.links.pendingCount).toBe(0);
  });

  test("device_info takes the client from X-Forwarded-For sent by trusted reverse proxies", async () => {
    await f.setup({ DEFGUARD_PROXY_TRUSTED_PROXIES: "127.0.0.1,10.0.0.0/8" });
    const c = await f.core({ answer: () => instanceInfo("x") });
    await f.poll("t", { "x-forwarded-for": "203.0.113.9, 10.0.0.1" });
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
      const { lines } = await f.setup();
      const message = status === 500 ? "database exploded at row 7" : body;
      await f.core({ answer: () => ({ core_error: { status_code: code, message } }) });
      const res = await f.poll();
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: body });
      if (status === 500) {
        const requestId = res.headers.get("x-request-id")!;
        expect(lines.some((l) => l.includes("database exploded at row 7") && l.includes(requestId))).toBe(true);
      }
    });
  }

  test("an Empty answer: 200 with an empty body", async () => {
    await f.setup();
    await f.core({ answer: () => ({ empty: {} }) });
    const res = await fetch(`${f.proxy.url}/api/v1/password-reset/request`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email":"a@example.com"}',
    });
    expect([res.status, await res.text()]).toEqual([200, ""]);
  });

  test("an answer of the wrong kind: 500, logged", async () => {
    const { lines } = await f.setup();
    await f.core({ answer: () => ({ empty: {} }) });
    const res = await f.poll();
    expect([res.status, await res.json()]).toEqual([500, { error: "Internal server error" }]);
    expect(lines.some((l) => l.includes("Defguard Core answered empty where instance_info was expected"))).toBe(true);
  });

  test("no Core connected: 503 at once", async () => {
    await f.setup();
    const res = await f.poll();
    expect([res.status, await res.json()]).toEqual([503, { error: "Not connected to Defguard Core" }]);
    expect(res.headers.get("defguard-core-connected")).toBe("false");
  });

  test("a Core that never answers: 504; its late answer is logged and dropped; nothing stays pending", async () => {
    const { lines } = await f.setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "300" });
    let release: () => void = () => {};
    const late = new Promise<void>((r) => (release = r));
    await f.core({ answer: async () => (await late, instanceInfo("late")) });
    const res = await f.poll();
    expect([res.status, await res.json()]).toEqual([504, { error: "Defguard Core did not answer in time" }]);
    expect(f.proxy.proxy.links.pendingCount).toBe(0);
    release();
    await waitFor(() => lines.some((l) => l.includes("Dropping an answer for an unknown or expired request id")), 10_000, "drop log");
  });

  test("a Core whose stream is cancelled mid-request: 503 promptly, well before the timeout", async () => {
    await f.setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "45000" });
    let dying: TestCore | undefined;
    dying = await f.core({
      answer: () => {
        queueMicrotask(() => dying!.cancel());
        return undefined;
      },
    });
    const res = await f.poll();
    expect([res.status, await res.json()]).toEqual([503, { error: "Defguard Core disconnected before answering" }]);
    expect(f.proxy.proxy.links.pendingCount).toBe(0);
  });

  test("two Cores share requests round-robin; one dying leaves the other serving", async () => {
    await f.setup({ DEFGUARD_PROXY_CORE_TIMEOUT_MS: "45000" });
    const a = await f.core({ answer: () => instanceInfo("from-a") });
    const b = await f.core({ answer: () => instanceInfo("from-b") });
    await waitFor(() => f.proxy.proxy.links.connectedCount === 2);
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push(((await (await f.poll()).json()) as any).device_config.device.name);
    expect(names.sort()).toEqual(["from-a", "from-a", "from-b", "from-b"]);
    expect([a.requests.length, b.requests.length]).toEqual([2, 2]);
    a.cancel();
    await waitFor(() => f.proxy.proxy.links.connectedCount === 1, 10_000, "a to leave");
    for (let i = 0; i < 3; i++) {
      const res = await f.poll();
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).device_config.device.name).toBe("from-b");
    }
    expect(f.proxy.proxy.links.pendingCount).toBe(0);
  });

  test("concurrent requests each get their own answer; the pending map empties", async () => {
    await f.setup();
    await f.core({
      answer: async (r) => {
        await Bun.sleep(Number(r.instance_info!.token) % 7);
        return instanceInfo(`device-${r.instance_info!.token}`);
      },
    });
    const tokens = Array.from({ length: 40 }, (_, i) => String(i));
    const results = await Promise.all(tokens.map(async (t) => ((await (await f.poll(t)).json()) as any).device_config.device.name));
    expect(results).toEqual(tokens.map((t) => `device-${t}`));
    expect(f.proxy.proxy.links.pendingCount).toBe(0);
  });
});
