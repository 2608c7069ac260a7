// What every signed-in user may do to their own account through the admin API (password, second
// factors, recovery codes, devices), and the admin's help: password-reset links and turning MFA off.
// Each rule with its exact status and message.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { DEVICE_MESSAGES } from "../flows/enrollment/device-input.ts";
import { MFA_SETUP_MESSAGES } from "../mfa/method-setup.ts";
import { EMAIL_CODE_PERIOD_S, TOTP_PERIOD_S, codeAt } from "../mfa/one-time-codes.ts";
import { generateKeyPair } from "../wireguard/keys.ts";
import { OWN_DEVICE_MESSAGES } from "./routes/own-devices.ts";
import { SELF_SERVICE_MESSAGES } from "./routes/self-service.ts";
import { USER_RECOVERY_MESSAGES } from "./routes/user-recovery.ts";

setDefaultTimeout(30_000);

const PASSWORD = "Str0ng-pass!";
let ctx: AdminTestContext;

beforeAll(async () => {
  ctx = await createAdminTestContext();
  for (const username of ["selma", "tom", "newbie"]) {
    const body = { username, first_name: "Selma", last_name: "Self", email: `${username}@example.com`, ...(username === "newbie" ? {} : { password: PASSWORD }) };
    expect((await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body })).status).toBe(201);
  }
});
afterAll(() => ctx?.cleanup());

const as = (cookie: string) => (method: string, path: string, body?: unknown) => ctx.call(method, path, { cookie, body });

describe("PUT /user/change_password", () => {
  test("401 without a session; 400 for a wrong old or a weak new password; 200 ends the other sessions", async () => {
    expect(await ctx.call("PUT", "/api/v1/user/change_password", { body: { old_password: PASSWORD, new_password: "N3w-pass!word" } })).toMatchObject({
      status: 401,
      body: { error: "log in first: no valid session" },
    });
    const first = await ctx.login("tom", PASSWORD);
    const second = await ctx.login("tom", PASSWORD);
    const tom = as(second);
    expect(await tom("PUT", "/api/v1/user/change_password", { old_password: "wrong", new_password: "N3w-pass!word" })).toMatchObject({
      status: 400,
      body: { error: SELF_SERVICE_MESSAGES.wrongOldPassword },
    });
    expect(SELF_SERVICE_MESSAGES.wrongOldPassword).toBe("old_password: this is not your current password");
    expect(await tom("PUT", "/api/v1/user/change_password", { old_password: PASSWORD, new_password: "short" })).toMatchObject({
      status: 400,
      body: { error: "new_password: password must be at least 8 characters long" },
    });
    expect(await tom("PUT", "/api/v1/user/change_password", { old_password: PASSWORD })).toMatchObject({ status: 400, body: { error: "new_password: is required" } });
    expect(await tom("PUT", "/api/v1/user/change_password", { old_password: PASSWORD, new_password: "N3w-pass!word" })).toMatchObject({ status: 200, body: {} });
    expect((await as(first)("GET", "/api/v1/me")).status).toBe(401);
    expect((await tom("GET", "/api/v1/me")).status).toBe(200);
    expect(await ctx.login("tom", "N3w-pass!word")).toMatch(/^defguard_session=/);
  });
});

describe("POST /user/{username}/start_desktop for oneself", () => {
  test("a non-admin makes their own desktop-client link (201); another user's is 403", async () => {
    const selma = as(await ctx.login("selma", PASSWORD));
    const own = await selma("POST", "/api/v1/user/selma/start_desktop", {});
    expect(own.status).toBe(201);
    expect(own.body.enrollment_url).toMatch(/^http:\/\/localhost:8080\/\?token=[A-Za-z0-9]{32}$/);
    expect(await selma("POST", "/api/v1/user/tom/start_desktop", {})).toMatchObject({ status: 403, body: { error: "only members of group admin may do this" } });
    expect((await ctx.call("POST", "/api/v1/user/selma/start_desktop", { cookie: ctx.adminCookie, body: {} })).status).toBe(201);
  });
});

describe("own second factors", () => {
  test("TOTP: init answers a secret and URI, a wrong code is 400, the right one enables it with recovery codes once", async () => {
    const selma = as(await ctx.login("selma", PASSWORD));
    const init = await selma("POST", "/api/v1/auth/totp/init");
    expect(init.status).toBe(200);
    expect(init.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(init.body.uri).toBe(`otpauth://totp/Defguard:selma?issuer=Defguard&secret=${init.body.secret}&algorithm=SHA1&digits=6&period=30`);
    const right = codeAt(init.body.secret, TOTP_PERIOD_S, Date.now());
    const wrong = right === "000000" ? "111111" : "000000";
    expect(await selma("POST", "/api/v1/auth/totp", { code: wrong })).toMatchObject({ status: 400, body: { error: MFA_SETUP_MESSAGES.wrongTotpCode } });
    expect(await selma("POST", "/api/v1/auth/totp", {})).toMatchObject({ status: 400, body: { error: "code: is required" } });
    const enabled = await selma("POST", "/api/v1/auth/totp", { code: right });
    expect(enabled.status).toBe(200);
    expect(enabled.body.codes).toHaveLength(8);
    expect(await selma("POST", "/api/v1/auth/totp/init")).toMatchObject({ status: 400, body: { error: "TOTP already enabled for your account" } });
    const info = await ctx.call("GET", "/api/v1/user/selma", { cookie: ctx.adminCookie });
    expect(info.body).toMatchObject({ mfa_enabled: true, totp_enabled: true });

    const renewed = await selma("POST", "/api/v1/auth/recovery_codes");
    expect(renewed.status).toBe(200);
    expect(renewed.body.codes).toHaveLength(8);
    expect(renewed.body.codes).not.toEqual(enabled.body.codes);

    expect(await selma("DELETE", "/api/v1/auth/totp")).toMatchObject({ status: 200, body: {} });
    expect((await ctx.call("GET", "/api/v1/user/selma", { cookie: ctx.adminCookie })).body).toMatchObject({ mfa_enabled: false, totp_enabled: false });
    expect(await selma("POST", "/api/v1/auth/recovery_codes")).toMatchObject({ status: 400, body: { error: MFA_SETUP_MESSAGES.mfaOff } });
    expect(MFA_SETUP_MESSAGES.mfaOff).toBe("turn on TOTP or email codes first: recovery codes stand in for them");
  });

  test("email codes: refused without mail; with mail the mailed code enables them", async () => {
    const selma = as(await ctx.login("selma", PASSWORD));
    expect(await selma("POST", "/api/v1/auth/email/init")).toMatchObject({ status: 400, body: { error: MFA_SETUP_MESSAGES.mailUnavailable } });
    const withMail = await createAdminTestContext({ config: { ...ctx.deps.config, smtp: { host: "127.0.0.1", port: 2525, sender: "vpn@example.com", encryption: "none" } } }, ctx.db);
    const call = (method: string, path: string, cookie: string, body?: unknown) => withMail.call(method, path, { cookie, body });
    const cookie = await withMail.login("selma", PASSWORD);
    expect(await call("POST", "/api/v1/auth/email/init", cookie)).toMatchObject({ status: 200, body: {} });
    const [mail] = await ctx.db.sql<{ subject: string; text: string }[]>`SELECT subject, text FROM mail_outbox WHERE recipient = 'selma@example.com' ORDER BY id DESC LIMIT 1`;
    const [user] = await ctx.db.sql<{ email_mfa_secret: string }[]>`SELECT email_mfa_secret FROM users WHERE username = 'selma'`;
    const code = codeAt(user!.email_mfa_secret, EMAIL_CODE_PERIOD_S, Date.now());
    expect(mail!.text).toContain(code);
    const enabled = await call("POST", "/api/v1/auth/email/enable", cookie, { code });
    expect(enabled.status).toBe(200);
    expect(enabled.body.codes).toHaveLength(8);
    expect(await call("DELETE", "/api/v1/auth/email", cookie)).toMatchObject({ status: 200, body: {} });
    expect((await ctx.call("GET", "/api/v1/user/selma", { cookie: ctx.adminCookie })).body).toMatchObject({ mfa_enabled: false, email_mfa_enabled: false });
  });

  test("without a session each of them is 401", async () => {
    for (const [method, path] of [["POST", "/api/v1/auth/totp/init"], ["POST", "/api/v1/auth/totp"], ["DELETE", "/api/v1/auth/totp"], ["POST", "/api/v1/auth/email/init"], ["POST", "/api/v1/auth/email/enable"], ["DELETE", "/api/v1/auth/email"], ["POST", "/api/v1/auth/recovery_codes"]] as const) {
      expect(await ctx.call(method, path, { body: {} })).toMatchObject({ status: 401, body: { error: "log in first: no valid session" } });
    }
  });
});

describe("an admin helps a user back in", () => {
  test("reset_password answers a link (201); 400 before enrollment or without mail; 404 unknown; 403 for a non-admin", async () => {
    const admin = as(ctx.adminCookie);
    const made = await admin("POST", "/api/v1/user/selma/reset_password", {});
    expect(made.status).toBe(201);
    expect(made.body.reset_url).toMatch(/^http:\/\/localhost:8080\/password-reset\?token=[A-Za-z0-9]{32}$/);
    expect(await admin("POST", "/api/v1/user/newbie/reset_password", {})).toMatchObject({ status: 400, body: { error: USER_RECOVERY_MESSAGES.notEnrolled("newbie") } });
    expect(USER_RECOVERY_MESSAGES.notEnrolled("newbie")).toBe("user newbie has not enrolled yet: send an enrollment link instead");
    expect(await admin("POST", "/api/v1/user/selma/reset_password", { send_mail: true })).toMatchObject({ status: 400, body: { error: "send_mail: mail is not configured on this core" } });
    expect(await admin("POST", "/api/v1/user/nobody/reset_password", {})).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
    const tom = as(await ctx.login("tom", "N3w-pass!word"));
    expect(await tom("POST", "/api/v1/user/selma/reset_password", {})).toMatchObject({ status: 403, body: { error: "only members of group admin may do this" } });
  });

  test("DELETE /user/{username}/mfa turns every factor off; 404 for an unknown user", async () => {
    await ctx.db.sql`UPDATE users SET mfa_enabled = true, totp_enabled = true, totp_secret = 'AAAA', recovery_codes = '{x}' WHERE username = 'selma'`;
    expect(await ctx.call("DELETE", "/api/v1/user/selma/mfa", { cookie: ctx.adminCookie })).toMatchObject({ status: 200, body: {} });
    const [row] = await ctx.db.sql`SELECT mfa_enabled, totp_enabled, totp_secret, cardinality(recovery_codes) AS codes FROM users WHERE username = 'selma'`;
    expect(row).toEqual({ mfa_enabled: false, totp_enabled: false, totp_secret: null, codes: 0 });
    expect(await ctx.call("DELETE", "/api/v1/user/nobody/mfa", { cookie: ctx.adminCookie })).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
  });
});

describe("own devices", () => {
  const network = { name: "hq", address: "10.77.0.1/24", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.77.0.0/24" };

  test("a user adds a device for themselves (201 with its configuration), not for others (403); bad input is 400", async () => {
    expect((await ctx.call("POST", "/api/v1/network", { cookie: ctx.adminCookie, body: network })).status).toBe(201);
    const selma = as(await ctx.login("selma", PASSWORD));
    const { publicKey } = generateKeyPair();
    const added = await selma("POST", "/api/v1/device/selma", { name: "laptop", wireguard_pubkey: publicKey });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: "laptop", pubkey: publicKey, networks: [{ network_name: "hq", addresses: ["10.77.0.2"] }] });
    expect(added.body.configs).toHaveLength(1);
    expect(added.body.configs[0]).toMatchObject({ network_name: "hq", assigned_ip: "10.77.0.2" });
    expect(added.body.configs[0].config).toContain("PrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.77.0.2\n");

    expect(await selma("POST", "/api/v1/device/tom", { name: "x", wireguard_pubkey: generateKeyPair().publicKey })).toMatchObject({ status: 403, body: { error: OWN_DEVICE_MESSAGES.otherUser } });
    expect(await selma("POST", "/api/v1/device/selma", { name: "laptop", wireguard_pubkey: generateKeyPair().publicKey })).toMatchObject({ status: 400, body: { error: `name: ${DEVICE_MESSAGES.nameTaken}` } });
    expect(await selma("POST", "/api/v1/device/selma", { name: "phone", wireguard_pubkey: publicKey })).toMatchObject({ status: 400, body: { error: `wireguard_pubkey: ${DEVICE_MESSAGES.pubkeyTaken}` } });
    expect(await selma("POST", "/api/v1/device/selma", { name: "phone", wireguard_pubkey: "nope" })).toMatchObject({ status: 400, body: { error: `wireguard_pubkey: ${DEVICE_MESSAGES.pubkeyInvalid}` } });
    expect(await selma("POST", "/api/v1/device/selma", { name: " ", wireguard_pubkey: generateKeyPair().publicKey })).toMatchObject({ status: 400, body: { error: `name: ${DEVICE_MESSAGES.nameRequired}` } });

    await ctx.call("PATCH", "/api/v1/settings", { cookie: ctx.adminCookie, body: { admin_device_management: true } });
    expect(await selma("POST", "/api/v1/device/selma", { name: "phone", wireguard_pubkey: generateKeyPair().publicKey })).toMatchObject({ status: 403, body: { error: DEVICE_MESSAGES.adminOnly } });
    const forSelma = await ctx.call("POST", "/api/v1/device/selma", { cookie: ctx.adminCookie, body: { name: "phone", wireguard_pubkey: generateKeyPair().publicKey } });
    expect(forSelma.status).toBe(201);
    await ctx.call("PATCH", "/api/v1/settings", { cookie: ctx.adminCookie, body: { admin_device_management: false } });

    const tom = as(await ctx.login("tom", "N3w-pass!word"));
    const id = added.body.id as number;
    expect(await tom("DELETE", `/api/v1/device/${id}`)).toMatchObject({ status: 404, body: { error: `device ${id} not found` } });
    expect(await selma("DELETE", `/api/v1/device/${id}`)).toMatchObject({ status: 200, body: null });
    expect(await selma("DELETE", `/api/v1/device/${id}`)).toMatchObject({ status: 404, body: { error: `device ${id} not found` } });
  });
});

describe("PUT and DELETE /group/{name}", () => {
  test("rename (200), refusals for admin (400), a taken name (409) and unknown (404); delete, unless a network allows only it", async () => {
    const admin = as(ctx.adminCookie);
    expect((await admin("POST", "/api/v1/group", { name: "ops" })).status).toBe(201);
    expect((await admin("POST", "/api/v1/group", { name: "dev" })).status).toBe(201);
    expect(await admin("PUT", "/api/v1/group/ops", { name: "operations" })).toMatchObject({ status: 200, body: { name: "operations", members: [] } });
    expect(await admin("PUT", "/api/v1/group/operations", { name: "dev" })).toMatchObject({ status: 409, body: { error: "group dev already exists" } });
    expect(await admin("PUT", "/api/v1/group/admin", { name: "root" })).toMatchObject({ status: 400, body: { error: "group admin cannot be renamed: its members are the administrators" } });
    expect(await admin("PUT", "/api/v1/group/nope", { name: "x" })).toMatchObject({ status: 404, body: { error: "group nope not found" } });
    expect(await admin("DELETE", "/api/v1/group/admin")).toMatchObject({ status: 400, body: { error: "group admin cannot be deleted: its members are the administrators" } });
    const net = await admin("POST", "/api/v1/network", { name: "lab", address: "10.78.0.1/24", port: 51821, endpoint: "lab.example.com", allowed_ips: "10.78.0.0/24", allowed_groups: ["dev"] });
    expect(net.status).toBe(201);
    expect(await admin("DELETE", "/api/v1/group/dev")).toMatchObject({ status: 400, body: { error: "group dev is the only group allowed in location lab: allow another group there first" } });
    expect(await admin("DELETE", "/api/v1/group/operations")).toMatchObject({ status: 200, body: null });
    expect(await admin("DELETE", "/api/v1/group/operations")).toMatchObject({ status: 404, body: { error: "group operations not found" } });
  });
});
