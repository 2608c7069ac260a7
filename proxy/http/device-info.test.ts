import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { AppEnv } from "./app-env.ts";
import { clientIp, deviceInfoOf } from "./device-info.ts";

describe("clientIp", () => {
  test.each([
    ["203.0.113.7", "10.0.0.1", "203.0.113.7"],
    ["203.0.113.7, 10.0.0.2, 10.0.0.3", "10.0.0.1", "203.0.113.7"],
    ["203.0.113.7:5555", "10.0.0.1", "203.0.113.7"],
    ["[2001:db8::7]:443", "10.0.0.1", "2001:db8::7"],
    ["not-an-ip", "10.0.0.1", "10.0.0.1"],
    ["", "10.0.0.1", "10.0.0.1"],
    [undefined, "::ffff:127.0.0.1", "127.0.0.1"],
    [undefined, "::1", "::1"],
    [undefined, undefined, ""],
  ])("X-Forwarded-For %p, peer %p -> %p", (xff, peer, expected) => {
    expect(clientIp(xff, peer)).toBe(expected);
  });
});

describe("deviceInfoOf", () => {
  test("reads the user agent and the Defguard client headers", async () => {
    const app = new Hono<AppEnv>().get("/", (c) => c.json(deviceInfoOf(c)));
    const res = await app.request("/", {
      headers: {
        "user-agent": "defguard-client/1.6",
        "defguard-client-version": "1.6.3",
        "defguard-client-platform": "linux;6.1;x86_64",
        "x-forwarded-for": "198.51.100.4",
      },
    });
    expect(await res.json()).toEqual({
      ip_address: "198.51.100.4",
      user_agent: "defguard-client/1.6",
      version: "1.6.3",
      platform: "linux;6.1;x86_64",
    });
  });

  test("uses the socket peer given by the server binding", async () => {
    const app = new Hono<AppEnv>().get("/", (c) => c.json(deviceInfoOf(c)));
    const res = await app.request("/", {}, { requestIP: () => ({ address: "::ffff:192.0.2.1" }) });
    expect(await res.json()).toEqual({ ip_address: "192.0.2.1" });
  });
});
