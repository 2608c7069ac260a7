import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { generateKeyPair } from "../wireguard/keys.ts";
import { type AdminEnv, createAdminApp } from "./app.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";

let ctx: AdminTestContext;
const USER = { first_name: "Erin", last_name: "Example", password: "Str0ng-pass" };

beforeAll(async () => {
  ctx = await createAdminTestContext();
  for (const username of ["erin", "finn"]) {
    const res = await asAdmin("POST", "/api/v1/user", { ...USER, username, email: `${username}@example.com` });
    expect(res.status).toBe(201);
  }
});
afterAll(() => ctx.cleanup());

const asAdmin = (method: string, path: string, body?: unknown) => ctx.call(method, path, { cookie: ctx.adminCookie, body });

describe("groups", () => {
  test("GET lists groups with members; admin is seeded with the bootstrapped admin", async () => {
    const res = await asAdmin("GET", "/api/v1/group");
    expect([res.status, res.body]).toEqual([200, [{ id: expect.any(Number), name: "admin", members: ["admin"] }]]);
  });

  test("POST creates a group (201); a name in use is 409; a bad name 400", async () => {
    const res = await asAdmin("POST", "/api/v1/group", { name: "devs" });
    expect([res.status, res.body]).toEqual([201, { id: expect.any(Number), name: "devs", members: [] }]);
    const dup = await asAdmin("POST", "/api/v1/group", { name: "devs" });
    expect([dup.status, dup.body]).toEqual([409, { error: "group devs already exists" }]);
    const bad = await asAdmin("POST", "/api/v1/group", { name: "" });
    expect([bad.status, bad.body]).toEqual([400, { error: "name: expected 1 to 64 letters, digits, spaces, '.', '_' or '-'" }]);
    const missing = await asAdmin("POST", "/api/v1/group", {});
    expect([missing.status, missing.body]).toEqual([400, { error: "name: is required" }]);
  });

  test("adding and removing members (200, empty body, idempotent) shows in the group and the user", async () => {
    for (let i = 0; i < 2; i++) expect(await asAdmin("POST", "/api/v1/group/devs/user/erin")).toMatchObject({ status: 200, body: null });
    expect((await asAdmin("GET", "/api/v1/user/erin")).body.groups).toEqual(["devs"]);
    expect((await asAdmin("GET", "/api/v1/group")).body[1]).toMatchObject({ name: "devs", members: ["erin"] });
    for (let i = 0; i < 2; i++) expect(await asAdmin("DELETE", "/api/v1/group/devs/user/erin")).toMatchObject({ status: 200, body: null });
    expect((await asAdmin("GET", "/api/v1/user/erin")).body.groups).toEqual([]);
  });

  test("unknown group or user is 404", async () => {
    expect(await asAdmin("POST", "/api/v1/group/nope/user/erin")).toMatchObject({ status: 404, body: { error: "group nope not found" } });
    expect(await asAdmin("POST", "/api/v1/group/devs/user/nobody")).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
    expect(await asAdmin("DELETE", "/api/v1/group/nope/user/erin")).toMatchObject({ status: 404, body: { error: "group nope not found" } });
  });

  test("joining admin grants the admin API; the last admin cannot leave the group", async () => {
    const erin = await ctx.login("erin", USER.password);
    expect((await ctx.call("GET", "/api/v1/user", { cookie: erin })).status).toBe(403);
    await asAdmin("POST", "/api/v1/group/admin/user/erin");
    expect((await ctx.call("GET", "/api/v1/user", { cookie: erin })).status).toBe(200);
    const leave = await ctx.call("DELETE", "/api/v1/group/admin/user/admin", { cookie: erin });
    expect(leave.status).toBe(200);
    const last = await ctx.call("DELETE", "/api/v1/group/admin/user/erin", { cookie: erin });
    expect([last.status, last.body]).toEqual([400, { error: "erin is the last member of group admin and cannot be removed" }]);
    expect((await asAdmin("GET", "/api/v1/user")).status).toBe(403);
    await ctx.call("POST", "/api/v1/group/admin/user/admin", { cookie: erin });
  });
});

describe("devices", () => {
  let deviceId = 0;
  const key = generateKeyPair().publicKey;

  beforeAll(async () => {
    const net = await asAdmin("POST", "/api/v1/network", { name: "office", address: "10.9.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.9.0.0/24" });
    const sql = ctx.db.sql;
    const [device] = await sql<{ id: number }[]>`
      INSERT INTO devices (user_id, name, pubkey) SELECT id, 'laptop', ${key} FROM users WHERE username = 'finn' RETURNING id`;
    deviceId = device!.id;
    await sql`INSERT INTO network_devices (network_id, device_id) VALUES (${net.body.id}, ${deviceId})`;
    await sql`INSERT INTO network_device_addresses (network_id, device_id, address) VALUES (${net.body.id}, ${deviceId}, '10.9.0.2')`;
  });

  test("GET lists a user's devices with their addresses per network", async () => {
    const res = await asAdmin("GET", "/api/v1/device/user/finn");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: deviceId, name: "laptop", pubkey: key, user_id: expect.any(Number), created_at: expect.any(String),
        networks: [{ network_id: expect.any(Number), network_name: "office", addresses: ["10.9.0.2"], is_authorized: false, authorized_at: null }],
      },
    ]);
    expect(await asAdmin("GET", "/api/v1/device/user/erin")).toMatchObject({ status: 200, body: [] });
    expect(await asAdmin("GET", "/api/v1/device/user/nobody")).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
  });

  test("DELETE removes a device and its addresses (200, empty body); again is 404", async () => {
    expect(await asAdmin("DELETE", `/api/v1/device/${deviceId}`)).toMatchObject({ status: 200, body: null });
    const [left] = await ctx.db.sql<{ n: number }[]>`SELECT count(*) AS n FROM network_device_addresses WHERE device_id = ${deviceId}`;
    expect(left!.n).toBe(0);
    expect(await asAdmin("DELETE", `/api/v1/device/${deviceId}`)).toMatchObject({ status: 404, body: { error: `device ${deviceId} not found` } });
  });
});

describe("settings", () => {
  test("GET answers the defaults", async () => {
    const res = await asAdmin("GET", "/api/v1/settings");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      instance_name: "Defguard",
      instance_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      enrollment_welcome_message: "# Welcome, {first_name} {last_name}!\n\nYour VPN access is ready.",
      enrollment_welcome_email_subject: "Your account is active",
      enrollment_welcome_email: "Hello {first_name},\n\nYour account **{username}** is now active. You can sign in with your username and the password you chose.",
      enrollment_use_welcome_message_as_email: false,
      enrollment_vpn_step_optional: true,
      enrollment_mfa_required: false,
      admin_device_management: false,
      only_client_activation: false,
      max_devices_per_user: 10,
    });
  });

  test("PATCH changes the given fields only and ignores instance_id; bad values are 400", async () => {
    const before = (await asAdmin("GET", "/api/v1/settings")).body;
    const res = await asAdmin("PATCH", "/api/v1/settings", { instance_name: "Acme VPN", enrollment_vpn_step_optional: false, instance_id: "x" });
    expect([res.status, res.body]).toEqual([200, { ...before, instance_name: "Acme VPN", enrollment_vpn_step_optional: false }]);
    const empty = await asAdmin("PATCH", "/api/v1/settings", { instance_name: " " });
    expect([empty.status, empty.body]).toEqual([400, { error: "instance_name: must not be empty" }]);
    const flag = await asAdmin("PATCH", "/api/v1/settings", { enrollment_mfa_required: 1 });
    expect([flag.status, flag.body]).toEqual([400, { error: "enrollment_mfa_required: expected true or false" }]);
  });

  test("max_devices_per_user: a whole number from 1 to 1000", async () => {
    const set = await asAdmin("PATCH", "/api/v1/settings", { max_devices_per_user: 3 });
    expect([set.status, set.body.max_devices_per_user]).toEqual([200, 3]);
    for (const bad of [0, 1001, 2.5, "3", null]) {
      const res = await asAdmin("PATCH", "/api/v1/settings", { max_devices_per_user: bad });
      expect([res.status, res.body]).toEqual([400, { error: "max_devices_per_user: expected a whole number from 1 to 1000" }]);
    }
    expect((await asAdmin("PATCH", "/api/v1/settings", { max_devices_per_user: 10 })).status).toBe(200);
  });

  test("the welcome mail's subject, body and flag are saved and answered under Defguard's names", async () => {
    const texts = { enrollment_welcome_email_subject: "Welcome, {first_name}", enrollment_welcome_email: "# Hi {first_name}\n\n<b>raw</b> stays as written", enrollment_use_welcome_message_as_email: true };
    const res = await asAdmin("PATCH", "/api/v1/settings", texts);
    expect([res.status, res.body]).toEqual([200, expect.objectContaining(texts)]);
    expect((await asAdmin("GET", "/api/v1/settings")).body).toMatchObject(texts);
    const trimmed = await asAdmin("PATCH", "/api/v1/settings", { enrollment_welcome_email_subject: "  Hello  ", enrollment_use_welcome_message_as_email: false });
    expect([trimmed.status, trimmed.body.enrollment_welcome_email_subject, trimmed.body.enrollment_use_welcome_message_as_email]).toEqual([200, "Hello", false]);
  });

  test("the welcome mail's refusals name the field: subject one non-empty line of at most 200, body 1 to 10000 characters, flag a boolean", async () => {
    const before = (await asAdmin("GET", "/api/v1/settings")).body;
    for (const [body, error] of [
      [{ enrollment_welcome_email_subject: " " }, "enrollment_welcome_email_subject: must not be empty"],
      [{ enrollment_welcome_email_subject: "Hi\r\nBcc: x@example.com" }, "enrollment_welcome_email_subject: expected one line without control characters"],
      [{ enrollment_welcome_email_subject: "Hi\tthere" }, "enrollment_welcome_email_subject: expected one line without control characters"],
      [{ enrollment_welcome_email_subject: "x".repeat(201) }, "enrollment_welcome_email_subject: expected at most 200 characters"],
      [{ enrollment_welcome_email_subject: 7 }, "enrollment_welcome_email_subject: expected a string"],
      [{ enrollment_welcome_email: " \n " }, "enrollment_welcome_email: must not be empty"],
      [{ enrollment_welcome_email: "x".repeat(10_001) }, "enrollment_welcome_email: expected at most 10000 characters"],
      [{ enrollment_welcome_email: null }, "enrollment_welcome_email: expected a string"],
      [{ enrollment_use_welcome_message_as_email: "yes" }, "enrollment_use_welcome_message_as_email: expected true or false"],
      [{ enrollment_welcome_message: "x".repeat(10_001) }, "enrollment_welcome_message: expected at most 10000 characters"],
    ] as const) {
      const res = await asAdmin("PATCH", "/api/v1/settings", body);
      expect([res.status, res.body]).toEqual([400, { error }]);
    }
    expect((await asAdmin("GET", "/api/v1/settings")).body).toEqual(before);
  });

  test("Markdown texts of 10000 characters are taken (regression: every string was held to 4096 before its field's own limit)", async () => {
    const long = { enrollment_welcome_message: "m".repeat(10_000), enrollment_welcome_email: "e".repeat(10_000) };
    const res = await asAdmin("PATCH", "/api/v1/settings", long);
    expect([res.status, res.body.enrollment_welcome_message.length, res.body.enrollment_welcome_email.length]).toEqual([200, 10_000, 10_000]);
    const other = await asAdmin("PATCH", "/api/v1/settings", { instance_name: "x".repeat(5000) });
    expect([other.status, other.body]).toEqual([400, { error: "instance_name: expected at most 64 characters" }]);
  });
});

describe("without a mail hook", () => {
  test("send_enrollment_notification is refused with 400 before any token is made", async () => {
    const res = await asAdmin("POST", "/api/v1/user/finn/start_desktop", { send_enrollment_notification: true });
    expect([res.status, res.body]).toEqual([400, { error: "send_enrollment_notification: mail is not configured on this core" }]);
    const [tokens] = await ctx.db.sql<{ n: number }[]>`SELECT count(*) AS n FROM tokens`;
    expect(tokens!.n).toBe(0);
  });
});

describe("extra routes", () => {
  test("routes given in deps.extraRoutes sit behind the admin check", async () => {
    const outbox = new Hono<AdminEnv>().get("/mail/outbox", (c) => c.json({ caller: c.get("session").username }));
    const app = createAdminApp({ ...ctx.deps, extraRoutes: [outbox] });
    const ok = await app.request("/api/v1/mail/outbox", { headers: { cookie: ctx.adminCookie } });
    expect([ok.status, await ok.json()]).toEqual([200, { caller: "admin" }]);
    const finn = await ctx.login("finn", USER.password);
    expect((await app.request("/api/v1/mail/outbox", { headers: { cookie: finn } })).status).toBe(403);
    expect((await app.request("/api/v1/mail/outbox")).status).toBe(401);
  });
});
