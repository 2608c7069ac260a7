import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hashToken } from "../tokens.ts";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import type { StartedEnrollment } from "../users/start-enrollment.ts";

let ctx: AdminTestContext;
const notified: StartedEnrollment[] = [];
const DAVE = { username: "dave", first_name: "Dave", last_name: "Bowman", email: "dave@example.com", phone: "+48 123 456 789" };

beforeAll(async () => {
  ctx = await createAdminTestContext({ sendEnrollmentNotification: async (started) => void notified.push(started) });
});
afterAll(() => ctx.cleanup());

const asAdmin = (method: string, path: string, body?: unknown) => ctx.call(method, path, { cookie: ctx.adminCookie, body });

describe("users", () => {
  test("POST creates a user without password (201); GET lists and reads it", async () => {
    const created = await asAdmin("POST", "/api/v1/user", DAVE);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number), username: "dave", email: "dave@example.com", first_name: "Dave", last_name: "Bowman", phone: "+48 123 456 789",
      is_active: true, enrolled: false, is_admin: false, mfa_enabled: false, totp_enabled: false, email_mfa_enabled: false, groups: [],
    });
    const one = await asAdmin("GET", "/api/v1/user/dave");
    expect([one.status, one.body]).toEqual([200, created.body]);
    const all = await asAdmin("GET", "/api/v1/user");
    expect(all.status).toBe(200);
    expect(all.body.map((u: { username: string }) => u.username)).toEqual(["admin", "dave"]);
    expect(all.body[0]).toMatchObject({ username: "admin", is_admin: true, groups: ["admin"], enrolled: true });
    expect(JSON.stringify(all.body)).not.toContain("argon2");
  });

  test("a password given at creation is checked for strength and stored as Argon2id", async () => {
    const weak = await asAdmin("POST", "/api/v1/user", { ...DAVE, username: "weak", email: "weak@example.com", password: "password" });
    expect([weak.status, weak.body]).toEqual([400, { error: "password: password must contain an uppercase letter (A-Z)" }]);
    const short = await asAdmin("POST", "/api/v1/user", { ...DAVE, username: "weak", email: "weak@example.com", password: "Aa1!" });
    expect([short.status, short.body]).toEqual([400, { error: "password: password must be at least 8 characters long" }]);
    const ok = await asAdmin("POST", "/api/v1/user", { ...DAVE, username: "frank", email: "frank@example.com", password: "Str0ng-pass" });
    expect(ok.status).toBe(201);
    expect(ok.body.enrolled).toBe(true);
    const [row] = await ctx.db.sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE username = 'frank'`;
    expect(row!.password_hash).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
    expect((await ctx.login("frank", "Str0ng-pass")).startsWith("defguard_session=")).toBe(true);
  });

  test("duplicate username or email (any case) is 409 naming it", async () => {
    const name = await asAdmin("POST", "/api/v1/user", { ...DAVE, email: "other@example.com" });
    expect([name.status, name.body]).toEqual([409, { error: "username dave is already taken" }]);
    const email = await asAdmin("POST", "/api/v1/user", { ...DAVE, username: "dave2", email: "DAVE@example.com" });
    expect([email.status, email.body]).toEqual([409, { error: "email DAVE@example.com is already in use" }]);
  });

  test("every field is validated and named", async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...DAVE, username: undefined }, "username: is required"],
      [{ ...DAVE, username: "-dash" }, "username: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"],
      [{ ...DAVE, username: "a/b" }, "username: expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"],
      [{ ...DAVE, email: "not-an-email" }, "email: expected an email address"],
      [{ ...DAVE, first_name: "  " }, "first_name: must not be empty"],
      [{ ...DAVE, last_name: 7 }, "last_name: expected a string"],
      [{ ...DAVE, phone: "call me" }, "phone: expected a phone number such as +48 123 456 789"],
      [{ ...DAVE, first_name: "", email: "x" }, "first_name: must not be empty; email: expected an email address"],
    ];
    for (const [body, error] of cases) {
      const res = await asAdmin("POST", "/api/v1/user", body);
      expect([res.status, res.body]).toEqual([400, { error }]);
    }
  });

  test("PUT changes the given fields; unknown user 404; bad fields 400", async () => {
    const res = await asAdmin("PUT", "/api/v1/user/dave", { first_name: "David", phone: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: "dave", first_name: "David", last_name: "Bowman", phone: null });
    const missing = await asAdmin("PUT", "/api/v1/user/nobody", { first_name: "X" });
    expect([missing.status, missing.body]).toEqual([404, { error: "user nobody not found" }]);
    const bad = await asAdmin("PUT", "/api/v1/user/dave", { is_active: "yes" });
    expect([bad.status, bad.body]).toEqual([400, { error: "is_active: expected true or false" }]);
    const taken = await asAdmin("PUT", "/api/v1/user/dave", { email: "frank@example.com" });
    expect([taken.status, taken.body]).toEqual([409, { error: "email frank@example.com is already in use" }]);
  });

  test("GET and DELETE of an unknown user are 404", async () => {
    expect(await asAdmin("GET", "/api/v1/user/nobody")).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
    expect(await asAdmin("DELETE", "/api/v1/user/nobody")).toMatchObject({ status: 404, body: { error: "user nobody not found" } });
  });

  test("DELETE removes a user (200, empty body) with their sessions; an admin cannot delete themself", async () => {
    const gone = await asAdmin("POST", "/api/v1/user", { ...DAVE, username: "gone", email: "gone@example.com", password: "Str0ng-pass" });
    await ctx.login("gone", "Str0ng-pass");
    const res = await asAdmin("DELETE", "/api/v1/user/gone");
    expect([res.status, res.body]).toEqual([200, null]);
    expect((await asAdmin("GET", "/api/v1/user/gone")).status).toBe(404);
    const [sessions] = await ctx.db.sql<{ n: number }[]>`SELECT count(*) AS n FROM sessions WHERE user_id = ${gone.body.id}`;
    expect(sessions!.n).toBe(0);
    const self = await asAdmin("DELETE", "/api/v1/user/admin");
    expect([self.status, self.body]).toEqual([400, { error: "you cannot delete your own account" }]);
  });
});

describe("start_enrollment and start_desktop", () => {
  test("start_enrollment: 201 with the token and the Proxy's link; the token is stored hashed, older ones go", async () => {
    const first = await asAdmin("POST", "/api/v1/user/dave/start_enrollment", {});
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ enrollment_token: expect.stringMatching(/^[A-Za-z0-9]{32}$/), enrollment_url: expect.any(String) });
    expect(first.body.enrollment_url).toBe(`http://localhost:8080/?token=${first.body.enrollment_token}`);
    const second = await asAdmin("POST", "/api/v1/user/dave/start_enrollment", { send_enrollment_notification: false });
    expect(second.status).toBe(201);
    const rows = await ctx.db.sql<{ token_hash: string; kind: string; email: string; hours: number }[]>`
      SELECT t.token_hash, t.kind, t.email, round(extract(epoch FROM t.expires_at - t.created_at) / 3600)::int AS hours
      FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.username = 'dave'`;
    expect([...rows]).toEqual([{ token_hash: hashToken(second.body.enrollment_token), kind: "ENROLLMENT", email: "dave@example.com", hours: 24 }]);
    expect(ctx.logLines.join("\n")).not.toContain(second.body.enrollment_token);
  });

  test("send_enrollment_notification hands the started enrollment to the mail hook, to the given email", async () => {
    const res = await asAdmin("POST", "/api/v1/user/dave/start_enrollment", { send_enrollment_notification: true, email: "dave.private@example.com" });
    expect(res.status).toBe(201);
    const last = notified.at(-1)!;
    expect(last).toMatchObject({ kind: "enrollment", token: res.body.enrollment_token, url: res.body.enrollment_url, email: "dave.private@example.com" });
    expect(last.user.username).toBe("dave");
  });

  test("a user who already has a password gets 400; start_desktop then works; unknown users 404", async () => {
    const res = await asAdmin("POST", "/api/v1/user/frank/start_enrollment", {});
    expect([res.status, res.body]).toEqual([400, { error: "user frank has already enrolled; use start_desktop to configure a desktop client" }]);
    const desktop = await asAdmin("POST", "/api/v1/user/frank/start_desktop", {});
    expect(desktop.status).toBe(201);
    expect(desktop.body.enrollment_url).toBe(`http://localhost:8080/?token=${desktop.body.enrollment_token}`);
    const nobody = await asAdmin("POST", "/api/v1/user/nobody/start_enrollment", {});
    expect([nobody.status, nobody.body]).toEqual([404, { error: "user nobody not found" }]);
  });

  test("start_desktop of a disabled user is 400; bad bodies name the field", async () => {
    await asAdmin("POST", "/api/v1/user", { ...DAVE, username: "idle", email: "idle@example.com" });
    await asAdmin("PUT", "/api/v1/user/idle", { is_active: false });
    const res = await asAdmin("POST", "/api/v1/user/idle/start_desktop", {});
    expect([res.status, res.body]).toEqual([400, { error: "user idle is disabled" }]);
    const bad = await asAdmin("POST", "/api/v1/user/dave/start_enrollment", { send_enrollment_notification: "yes" });
    expect([bad.status, bad.body]).toEqual([400, { error: "send_enrollment_notification: expected true or false" }]);
    const email = await asAdmin("POST", "/api/v1/user/dave/start_enrollment", { email: "nope" });
    expect([email.status, email.body]).toEqual([400, { error: "email: expected an email address" }]);
  });
});
