// POST /api/v1/device/{username} (its configs, refusals naming the field) and GET /api/v1/network/{id}/device/{id}/config on a real database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { DEVICE_MESSAGES } from "../flows/enrollment/device-input.ts";
import { generateKeyPair } from "../wireguard/keys.ts";

let ctx: AdminTestContext;
let networkId: number;
const asAdmin = (method: string, path: string, body?: unknown) => ctx.call(method, path, { cookie: ctx.adminCookie, body });

beforeAll(async () => {
  ctx = await createAdminTestContext();
  const user = { username: "gina", email: "gina@example.com", first_name: "Gina", last_name: "G", password: "Str0ng-pass" };
  expect((await asAdmin("POST", "/api/v1/user", user)).status).toBe(201);
  const network = await asAdmin("POST", "/api/v1/network", {
    name: "office", address: "10.7.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.7.0.0/24", dns: "10.7.0.1",
  });
  expect(network.status).toBe(201);
  networkId = network.body.id;
});
afterAll(() => ctx.cleanup());

describe("an admin adds a device for a user", () => {
  test("201 with the device and a config per network; the config downloads as text with the private key left out", async () => {
    const { publicKey } = generateKeyPair();
    const res = await asAdmin("POST", "/api/v1/device/gina", { name: "gina-phone", wireguard_pubkey: publicKey });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "gina-phone", pubkey: publicKey, networks: [{ network_id: networkId, addresses: ["10.7.0.2"] }] });
    expect(res.body.configs).toHaveLength(1);
    expect(res.body.configs[0]).toMatchObject({ network_id: networkId, network_name: "office", assigned_ip: "10.7.0.2" });
    const download = await asAdmin("GET", `/api/v1/network/${networkId}/device/${res.body.id}/config`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="office.conf"');
    expect(download.body).toBe(res.body.configs[0].config);
    expect(download.body).toStartWith("[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.7.0.2\nDNS = 10.7.0.1\n");
    const listed = await asAdmin("GET", "/api/v1/device/user/gina");
    expect(listed.body.map((d: { name: string }) => d.name)).toEqual(["gina-phone"]);
  });

  test("refusals name the field: bad or used key, empty or used name; unknown user 404; a non-admin for another user 403", async () => {
    const { publicKey } = generateKeyPair();
    const cases: [unknown, number, string][] = [
      [{ name: "x", wireguard_pubkey: "nope" }, 400, `wireguard_pubkey: ${DEVICE_MESSAGES.pubkeyInvalid}`],
      [{ name: "", wireguard_pubkey: publicKey }, 400, `name: ${DEVICE_MESSAGES.nameRequired}`],
      [{ wireguard_pubkey: publicKey }, 400, "name: is required"],
      [{ name: "gina-phone", wireguard_pubkey: publicKey }, 400, `name: ${DEVICE_MESSAGES.nameTaken}`],
      [{ name: 5, wireguard_pubkey: publicKey }, 400, "name: expected a device name"],
    ];
    for (const [body, status, error] of cases) expect(await asAdmin("POST", "/api/v1/device/gina", body)).toMatchObject({ status, body: { error } });
    const used = (await asAdmin("GET", "/api/v1/device/user/gina")).body[0].pubkey;
    expect(await asAdmin("POST", "/api/v1/device/gina", { name: "other", wireguard_pubkey: used })).toMatchObject({
      status: 400, body: { error: `wireguard_pubkey: ${DEVICE_MESSAGES.pubkeyTaken}` },
    });
    const networkKey = (await asAdmin("GET", `/api/v1/network/${networkId}`)).body.pubkey;
    expect(await asAdmin("POST", "/api/v1/device/gina", { name: "other", wireguard_pubkey: networkKey })).toMatchObject({
      status: 400, body: { error: `wireguard_pubkey: ${DEVICE_MESSAGES.pubkeyTaken}` },
    });
    expect(await asAdmin("POST", "/api/v1/device/nobody", { name: "x", wireguard_pubkey: publicKey })).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
    const gina = await ctx.login("gina", "Str0ng-pass");
    // Her own devices she may add (self-service); another user's only an admin.
    expect((await ctx.call("POST", "/api/v1/device/admin", { cookie: gina, body: { name: "mine", wireguard_pubkey: publicKey } })).status).toBe(403);
  });

  test("a config of a device not in that network, or of no device, is 404", async () => {
    const device = (await asAdmin("GET", "/api/v1/device/user/gina")).body[0].id;
    expect(await asAdmin("GET", `/api/v1/network/${networkId + 1}/device/${device}/config`)).toMatchObject({
      status: 404, body: { error: `device ${device} has no configuration in network ${networkId + 1}` },
    });
    expect(await asAdmin("GET", `/api/v1/network/${networkId}/device/999999/config`)).toMatchObject({
      status: 404, body: { error: `device 999999 has no configuration in network ${networkId}` },
    });
  });
});
