import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { publicKeyFromPrivate } from "../wireguard/keys.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";

let ctx: AdminTestContext;
const OFFICE = {
  name: "office",
  address: ["10.1.0.1/24", "fd00:0:0::1/64"],
  port: 51820,
  endpoint: "vpn.example.com",
  allowed_ips: "10.1.0.0/24, 192.168.0.0/16",
  dns: "10.1.0.1",
};

beforeAll(async () => {
  ctx = await createAdminTestContext();
  await ctx.call("POST", "/api/v1/group", { cookie: ctx.adminCookie, body: { name: "staff" } });
});
afterAll(() => ctx.cleanup());

const asAdmin = (method: string, path: string, body?: unknown) => ctx.call(method, path, { cookie: ctx.adminCookie, body });

describe("networks", () => {
  let officeId = 0;

  test("POST creates a network with a Core-generated key pair; the answer has the public key only", async () => {
    const res = await asAdmin("POST", "/api/v1/network", OFFICE);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      name: "office",
      address: ["10.1.0.1/24", "fd00::1/64"],
      port: 51820,
      endpoint: "vpn.example.com",
      pubkey: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      dns: "10.1.0.1",
      allowed_ips: ["10.1.0.0/24", "192.168.0.0/16"],
      keepalive_interval: 25,
      peer_disconnect_threshold: 300,
      mfa_mode: "disabled",
      allowed_groups: [],
    });
    officeId = res.body.id;
    const [row] = await ctx.db.sql<{ privkey: string }[]>`SELECT privkey FROM networks WHERE id = ${officeId}`;
    expect(publicKeyFromPrivate(row!.privkey)).toBe(res.body.pubkey);
    for (const answer of [res, await asAdmin("GET", `/api/v1/network/${officeId}`), await asAdmin("GET", "/api/v1/network")]) {
      expect(JSON.stringify(answer.body)).not.toContain(row!.privkey);
      expect(JSON.stringify(answer.body)).not.toContain("privkey");
    }
  });

  test("one CIDR as a plain string, IPv6 only, options and allowed groups", async () => {
    const res = await asAdmin("POST", "/api/v1/network", {
      name: "lab",
      address: "fd42::1/64",
      port: 51821,
      endpoint: "[2001:db8::1]",
      allowed_ips: ["::/0", "2001:db8::5"],
      keepalive_interval: 0,
      peer_disconnect_threshold: 180,
      allowed_groups: ["staff"],
      mfa_mode: "internal",
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      address: ["fd42::1/64"], endpoint: "2001:db8::1", allowed_ips: ["::/0", "2001:db8::5/128"], dns: null,
      keepalive_interval: 0, peer_disconnect_threshold: 180, allowed_groups: ["staff"], mfa_mode: "internal",
    });
  });

  test("Defguard 1.6's location_mfa_mode sets the MFA mode on create and update, alone or agreeing with mfa_mode", async () => {
    const created = await asAdmin("POST", "/api/v1/network", { ...OFFICE, name: "dg16", address: "10.77.0.1/24", location_mfa_mode: "external" });
    expect([created.status, created.body.mfa_mode, "location_mfa_mode" in created.body]).toEqual([201, "external", false]);
    const id = created.body.id;
    for (const [change, mode] of [[{ location_mfa_mode: "internal" }, "internal"], [{ location_mfa_mode: "disabled", mfa_mode: "disabled" }, "disabled"]] as const) {
      const updated = await asAdmin("PUT", `/api/v1/network/${id}`, { ...OFFICE, name: "dg16", address: "10.77.0.1/24", ...change });
      expect([updated.status, updated.body.mfa_mode]).toEqual([200, mode]);
    }
    const refused = await asAdmin("PUT", `/api/v1/network/${id}`, { ...OFFICE, name: "dg16", address: "10.77.0.1/24", mfa_mode: "internal", location_mfa_mode: "disabled" });
    expect([refused.status, refused.body]).toEqual([400, { error: "location_mfa_mode: disagrees with mfa_mode: give one of them" }]);
    expect((await asAdmin("GET", `/api/v1/network/${id}`)).body.mfa_mode).toBe("disabled");
    expect((await asAdmin("DELETE", `/api/v1/network/${id}`)).status).toBe(200);
  });

  test("GET lists and reads; unknown ids are 404", async () => {
    const list = await asAdmin("GET", "/api/v1/network");
    expect(list.status).toBe(200);
    expect(list.body.map((n: { name: string }) => n.name)).toEqual(["office", "lab"]);
    const one = await asAdmin("GET", `/api/v1/network/${officeId}`);
    expect([one.status, one.body]).toEqual([200, list.body[0]]);
    expect(await asAdmin("GET", "/api/v1/network/999999")).toMatchObject({ status: 404, body: { error: "network 999999 not found" } });
  });

  test("PUT replaces the settings and keeps the keys; unknown id 404", async () => {
    const before = await asAdmin("GET", `/api/v1/network/${officeId}`);
    const res = await asAdmin("PUT", `/api/v1/network/${officeId}`, { ...OFFICE, name: "hq", port: 51830, dns: null, allowed_groups: ["staff", "admin"] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before.body, name: "hq", port: 51830, dns: null, allowed_groups: ["admin", "staff"] });
    const missing = await asAdmin("PUT", "/api/v1/network/999999", OFFICE);
    expect([missing.status, missing.body]).toEqual([404, { error: "network 999999 not found" }]);
  });

  test("a name in use is 409; an unknown allowed group is 400", async () => {
    const dup = await asAdmin("POST", "/api/v1/network", { ...OFFICE, name: "lab" });
    expect([dup.status, dup.body]).toEqual([409, { error: "network lab already exists" }]);
    const group = await asAdmin("POST", "/api/v1/network", { ...OFFICE, name: "new", allowed_groups: ["staff", "ghosts"] });
    expect([group.status, group.body]).toEqual([400, { error: "allowed_groups: group ghosts not found" }]);
    expect((await asAdmin("GET", "/api/v1/network")).body).toHaveLength(2);
  });

  test("a network too small for the devices it allows is 400 naming the address; nothing is stored", async () => {
    const admin = await ctx.db.sql<{ id: number }[]>`SELECT id FROM users WHERE username = 'admin'`;
    for (const name of ["one", "two"]) {
      await ctx.db.sql`INSERT INTO devices (user_id, name, pubkey) VALUES (${admin[0]!.id}, ${name}, ${`${name}-key`})`;
    }
    const tiny = await asAdmin("POST", "/api/v1/network", { ...OFFICE, name: "tiny", address: "10.9.0.1/30" });
    expect([tiny.status, tiny.body]).toEqual([400, { error: "address: 10.9.0.1/30 has no room for the 2 devices allowed in this network" }]);
    expect((await asAdmin("GET", "/api/v1/network")).body.map((n: { name: string }) => n.name)).not.toContain("tiny");
    await ctx.db.sql`DELETE FROM devices WHERE user_id = ${admin[0]!.id}`;
  });

  test("every field is validated and named", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: undefined }, "name: is required"],
      [{ address: undefined }, "address: is required"],
      [{ address: [] }, "address: expected at least one address"],
      [{ address: "10.1.0.1" }, "address: 10.1.0.1 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      [{ address: "10.1.0.0/24" }, "address: 10.1.0.0/24 is the network's own address; give the gateway's, e.g. 10.1.0.1/24"],
      [{ address: "10.1.0.255/24" }, "address: 10.1.0.255/24 is the broadcast address; give the gateway's address"],
      [{ address: "10.1.0.1/31" }, "address: 10.1.0.1/31 leaves no room for devices (prefix at most /30)"],
      [{ address: "fd00::/64" }, "address: fd00::/64 is the network's own address; give the gateway's, e.g. fd00::1/64"],
      [{ address: "10.1/16" }, "address: 10.1/16 is not an address in CIDR form such as 10.1.0.1/24 or fd00::1/64"],
      [{ address: 42 }, "address: expected a string or a list of strings"],
      [{ port: 0 }, "port: expected a port number (1-65535)"],
      [{ port: 70000 }, "port: expected a port number (1-65535)"],
      [{ port: "51820" }, "port: expected a port number (1-65535)"],
      [{ endpoint: "https://vpn.example.com" }, "endpoint: expected a host name or IP address without port, such as vpn.example.com"],
      [{ allowed_ips: "everything" }, "allowed_ips: everything is not an address or network such as 10.0.0.0/8 or ::/0"],
      [{ dns: "1.1.1.1, bad host!" }, "dns: expected DNS servers (IP addresses) or search domains, comma-separated"],
      [{ keepalive_interval: -1 }, "keepalive_interval: expected 0 to 65535"],
      [{ peer_disconnect_threshold: 1.5 }, "peer_disconnect_threshold: expected a whole number of seconds"],
      [{ mfa_mode: "sometimes" }, "mfa_mode: expected one of disabled, internal, external"],
      [{ location_mfa_mode: "Internal" }, "location_mfa_mode: expected one of disabled, internal, external"],
      [{ location_mfa_mode: 2 }, "location_mfa_mode: expected one of disabled, internal, external"],
      [{ mfa_mode: "internal", location_mfa_mode: "external" }, "location_mfa_mode: disagrees with mfa_mode: give one of them"],
      [{ allowed_groups: "staff" }, "allowed_groups: expected a list of group names"],
      [{ port: 0, endpoint: "" }, "port: expected a port number (1-65535); endpoint: expected a host name or IP address without port, such as vpn.example.com"],
    ];
    for (const [change, error] of cases) {
      const res = await asAdmin("POST", "/api/v1/network", { ...OFFICE, name: "invalid", ...change });
      expect([res.status, res.body]).toEqual([400, { error }]);
    }
  });

  test("DELETE removes it (200, empty body); again is 404", async () => {
    const res = await asAdmin("DELETE", `/api/v1/network/${officeId}`);
    expect([res.status, res.body]).toEqual([200, null]);
    const again = await asAdmin("DELETE", `/api/v1/network/${officeId}`);
    expect([again.status, again.body]).toEqual([404, { error: `network ${officeId} not found` }]);
    expect((await asAdmin("GET", "/api/v1/network")).body.map((n: { name: string }) => n.name)).toEqual(["lab"]);
  });
});
