import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { clientAddress, clientIp, deviceInfoOf } from "./device-info.ts";
import { trustedProxies } from "./trusted-proxies.ts";

describe("clientIp", () => {
  const trusted = trustedProxies(["10.0.0.0/8"]);
  test.each([
    // From a trusted reverse proxy: X-Forwarded-For is read from the right, trusted hops skipped.
    ["203.0.113.7", "10.0.0.1", "203.0.113.7"],
    ["203.0.113.7, 10.0.0.2, 10.0.0.3", "10.0.0.1", "203.0.113.7"],
    ["198.51.100.1, 203.0.113.7, 10.0.0.2", "10.0.0.1", "203.0.113.7"],
    ["203.0.113.7:5555", "10.0.0.1", "203.0.113.7"],
    ["[2001:db8::7]:443", "10.0.0.1", "2001:db8::7"],
    ["10.0.0.9, 10.0.0.8", "10.0.0.1", "10.0.0.9"],
    ["not-an-ip", "10.0.0.1", "10.0.0.1"],
    ["203.0.113.7, garbage, 10.0.0.2", "10.0.0.1", "10.0.0.2"],
    ["", "10.0.0.1", "10.0.0.1"],
    [undefined, "::ffff:127.0.0.1", "127.0.0.1"],
    [undefined, "::1", "::1"],
    [undefined, undefined, ""],
    // From anyone else: the socket peer, whatever the header says.
    ["203.0.113.7", "192.0.2.50", "192.0.2.50"],
    ["203.0.113.7", "::ffff:192.0.2.50", "192.0.2.50"],
    ["203.0.113.7", undefined, ""],
  ])("X-Forwarded-For %p, peer %p -> %p (10.0.0.0/8 trusted)", (xff, peer, expected) => {
    expect(clientIp(xff, peer, trusted)).toBe(expected);
  });

  test("with no trusted proxy X-Forwarded-For is ignored", () => {
    expect(clientIp("203.0.113.7", "10.0.0.1")).toBe("10.0.0.1");
  });
});

describe("deviceInfoOf", () => {
  const app = (trusted: string[]) =>
    new Hono<AppEnv>().use(clientAddress(trusted)).get("/", (c) => c.json({ ...deviceInfoOf(c), client: c.get("client") }));

  test("reads the user agent and the Defguard client headers, and X-Forwarded-For from a trusted peer", async () => {
    const res = await app(["192.0.2.1/32"]).request(
      "/",
      {
        headers: {
          "user-agent": "defguard-client/1.6",
          "defguard-client-version": "1.6.3",
          "defguard-client-platform": "linux;6.1;x86_64",
          "x-forwarded-for": "198.51.100.4",
          "x-forwarded-proto": "https",
          "x-forwarded-host": "Enroll.Example.com",
        },
      },
      { requestIP: () => ({ address: "192.0.2.1" }) },
    );
    expect(await res.json()).toEqual({
      ip_address: "198.51.100.4",
      user_agent: "defguard-client/1.6",
      version: "1.6.3",
      platform: "linux;6.1;x86_64",
      client: { ip: "198.51.100.4", https: true, host: "enroll.example.com" },
    });
  });

  test("the desktop client's headers as it really sends them (CLIENT_VERSION_HEADER, CLIENT_PLATFORM_HEADER) are read too", async () => {
    const res = await app([]).request("/", { headers: { CLIENT_VERSION_HEADER: "1.6.9", CLIENT_PLATFORM_HEADER: "CgVsaW51eA==" } }, { requestIP: () => ({ address: "192.0.2.1" }) });
    expect(await res.json()).toMatchObject({ version: "1.6.9", platform: "CgVsaW51eA==" });
  });

  test("forwarding headers from an untrusted peer are ignored", async () => {
    const res = await app(["192.0.2.1/32"]).request(
      "http://proxy.local:8080/",
      { headers: { "x-forwarded-for": "198.51.100.4", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" } },
      { requestIP: () => ({ address: "::ffff:192.0.2.99" }) },
    );
    expect(await res.json()).toEqual({ ip_address: "192.0.2.99", client: { ip: "192.0.2.99", https: false, host: "proxy.local:8080" } });
  });

  test("without the middleware: the socket peer given by the server binding", async () => {
    const bare = new Hono<AppEnv>().get("/", (c) => c.json(deviceInfoOf(c)));
    const res = await bare.request("/", { headers: { "x-forwarded-for": "198.51.100.4" } }, { requestIP: () => ({ address: "::ffff:192.0.2.1" }) });
    expect(await res.json()).toEqual({ ip_address: "192.0.2.1" });
  });
});
