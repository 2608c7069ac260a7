// GET /api/v1/network/{id}/devices and the MFA mode of PUT /api/v1/network/{id}: what an admin sees of
// desktop-client MFA.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createAdminTestContext, type AdminTestContext } from "../../test/support/admin-api.ts";
import { addDevice } from "../../test/support/flow-harness.ts";
import { addUser } from "../flows/enrollment/test-fixtures.ts";

let ctx: AdminTestContext;

beforeAll(async () => {
  ctx = await createAdminTestContext();
});

afterAll(async () => {
  await ctx?.cleanup();
});

const network = { name: "office", address: "10.9.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.9.0.0/24" };

describe("network devices", () => {
  test("an admin sets the MFA mode and sees each device's addresses and authorization", async () => {
    const created = await ctx.call("POST", "/api/v1/network", { cookie: ctx.adminCookie, body: network });
    expect(created.status).toBe(201);
    expect(created.body.mfa_mode).toBe("disabled");
    const id = created.body.id as number;
    const updated = await ctx.call("PUT", `/api/v1/network/${id}`, { cookie: ctx.adminCookie, body: { ...network, mfa_mode: "internal" } });
    expect(updated.status).toBe(200);
    expect(updated.body.mfa_mode).toBe("internal");
    const refused = await ctx.call("PUT", `/api/v1/network/${id}`, { cookie: ctx.adminCookie, body: { ...network, mfa_mode: "always" } });
    expect(refused.status).toBe(400);

    const user = await addUser(ctx.db.sql);
    const first = await addDevice(ctx.db.sql, user.id, [id]);
    const second = await addDevice(ctx.db.sql, user.id, [id]);
    await ctx.db.sql`UPDATE network_devices SET is_authorized = true, authorized_at = '2026-01-02T03:04:05Z', preshared_key = 'secret-psk'
                     WHERE network_id = ${id} AND device_id = ${second.id}`;

    // No gateway has reported figures for them yet.
    const noStats = { connected: false, last_handshake: null, endpoint: null, upload: 0, download: 0 };
    const listed = await ctx.call("GET", `/api/v1/network/${id}/devices`, { cookie: ctx.adminCookie });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      { device_id: first.id, device_name: `device-${first.pubkey.slice(0, 8)}`, pubkey: first.pubkey, user_id: user.id, username: user.username, addresses: ["10.9.0.2"], is_authorized: false, authorized_at: null, ...noStats },
      { device_id: second.id, device_name: `device-${second.pubkey.slice(0, 8)}`, pubkey: second.pubkey, user_id: user.id, username: user.username, addresses: ["10.9.0.3"], is_authorized: true, authorized_at: "2026-01-02T03:04:05.000Z", ...noStats },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain("secret-psk");
  });

  test("an unknown network is 404; without an admin session it is 401", async () => {
    expect(await ctx.call("GET", "/api/v1/network/999999/devices", { cookie: ctx.adminCookie })).toMatchObject({ status: 404, body: { error: "network 999999 not found" } });
    expect((await ctx.call("GET", "/api/v1/network/1/devices")).status).toBe(401);
  });
});
