// Polling end to end: the desktop client adds an instance (enrollment start, create_device), polls with the
// token it got, gets it rotated by network_info, and is refused with the old one or an unknown one.
import { describe, expect, test } from "bun:test";
import { addNetwork, addToken, addUser } from "../core/flows/enrollment/test-fixtures.ts";
import { POLLING_MESSAGES } from "../core/flows/polling.ts";
import { type FlowHarness, newDeviceKey, useFlowsBehindProxy } from "./support/flow-harness.ts";
import type { TestProxy } from "./support/in-process-proxy.ts";
import { ProxyClient } from "./support/proxy-client.ts";

let h: FlowHarness;
let proxy: TestProxy;

useFlowsBehindProxy(async (started) => {
  ({ h, proxy } = started);
  await addNetwork(h.sql, { name: "branch", address: ["10.60.0.1/24"], allowed_ips: ["10.60.0.0/24"], dns: "10.60.0.1" });
});

describe("polling over the Proxy", () => {
  test("good, rotated and unknown tokens", async () => {
    const user = await addUser(h.sql);
    const desktop = new ProxyClient(proxy.url);
    expect((await desktop.post("/api/v1/enrollment/start", { token: await addToken(h.sql, user.id) })).status).toBe(200);
    const pubkey = newDeviceKey();
    const created = await desktop.post("/api/v1/enrollment/create_device", { name: "desktop", pubkey });
    expect(created.status).toBe(200);
    const firstToken = created.body.token as string;
    expect(firstToken).toMatch(/^[A-Za-z0-9]{32}$/);

    const polled = await new ProxyClient(proxy.url).post("/api/v1/poll", { token: firstToken });
    expect(polled.status).toBe(200);
    expect(polled.body.device_config).toEqual({ ...created.body, token: null });
    expect(polled.body.device_config.configs[0].config).toContain("Address = 10.60.0.2");

    const rotated = await desktop.post("/api/v1/enrollment/network_info", { pubkey });
    expect(rotated.status).toBe(200);
    const secondToken = rotated.body.token as string;
    expect(secondToken).not.toBe(firstToken);

    const refused = { status: 401, body: { error: POLLING_MESSAGES.tokenInvalid } };
    expect(await new ProxyClient(proxy.url).post("/api/v1/poll", { token: firstToken })).toMatchObject(refused);
    expect(await new ProxyClient(proxy.url).post("/api/v1/poll", { token: "Q".repeat(32) })).toMatchObject(refused);
    expect(await new ProxyClient(proxy.url).post("/api/v1/poll", { token: "" })).toMatchObject(refused);
    expect((await new ProxyClient(proxy.url).post("/api/v1/poll", { token: secondToken })).status).toBe(200);
  });
});
