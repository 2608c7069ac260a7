// The settings page's mail routes on a real database and a real SMTP server: the SMTP settings, a test
// mail with the server's answer, and "retry now" on the outbox.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type AdminTestContext, createAdminTestContext } from "../../test/support/admin-api.ts";
import { createTestDatabase } from "../../test/support/database.ts";
import { type TestSmtpServer, startTestSmtpServer } from "../../test/support/smtp.ts";
import { MAIL_MESSAGES, mailAdminRoutes } from "./mail-admin-routes.ts";
import { enqueueMail } from "./outbox.ts";
import { smtpSettingsRoutes } from "./smtp-settings-routes.ts";

let ctx: AdminTestContext;
let smtp: TestSmtpServer;
let wakeUps = 0;
const asAdmin = (method: string, path: string, body?: unknown) => ctx.call(method, path, { cookie: ctx.adminCookie, body });
const NOT_CONFIGURED = { smtp_configured: false, smtp_host: null, smtp_port: null, smtp_user: null, smtp_sender: null, smtp_encryption: null, smtp_password_set: false };

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  smtp.rejectRecipient = (address) => (address.startsWith("nobody@") ? "550 5.1.1 no such mailbox" : undefined);
  const wakeUp = () => void wakeUps++;
  const db = await createTestDatabase();
  const deps = { sql: db.sql, config: { smtp: undefined }, wakeUp };
  ctx = await createAdminTestContext({ extraRoutes: [mailAdminRoutes(deps), smtpSettingsRoutes(deps)] }, db);
});
afterAll(async () => {
  await ctx.cleanup();
  await smtp.stop();
});

describe("SMTP settings and the test mail", () => {
  test("unconfigured: GET says so, a test mail is refused with what to set", async () => {
    expect(await asAdmin("GET", "/api/v1/settings/smtp")).toMatchObject({ status: 200, body: NOT_CONFIGURED });
    expect(await asAdmin("POST", "/api/v1/mail/test", { to: "ops@example.com" })).toMatchObject({ status: 400, body: { error: MAIL_MESSAGES.notConfigured } });
  });

  test("PATCH stores the server (never answering the password); bad values are refused naming the field", async () => {
    const res = await asAdmin("PATCH", "/api/v1/settings/smtp", {
      smtp_host: "127.0.0.1", smtp_port: smtp.port, smtp_sender: "VPN <vpn@example.com>", smtp_encryption: "none", smtp_user: "", smtp_password: "secret",
    });
    expect(res).toMatchObject({
      status: 200,
      body: { smtp_configured: true, smtp_host: "127.0.0.1", smtp_port: smtp.port, smtp_user: null, smtp_sender: "VPN <vpn@example.com>", smtp_encryption: "none", smtp_password_set: true },
    });
    expect(JSON.stringify(res.body)).not.toContain("secret");
    expect(wakeUps).toBe(1);
    const bad: [unknown, string][] = [
      [{ smtp_port: 0 }, "smtp_port: expected a port number (1-65535) or null"],
      [{ smtp_port: "25" }, "smtp_port: expected a port number (1-65535) or null"],
      [{ smtp_encryption: "ssl" }, "smtp_encryption: expected none, starttls or tls"],
      [{ smtp_host: 5 }, "smtp_host: expected a string or null"],
    ];
    for (const [body, error] of bad) expect(await asAdmin("PATCH", "/api/v1/settings/smtp", body)).toMatchObject({ status: 400, body: { error } });
    expect(await asAdmin("PATCH", "/api/v1/settings/smtp", { smtp_password: null })).toMatchObject({ status: 200, body: { smtp_password_set: false } });
  });

  test("a test mail goes to the SMTP server at once and its answer comes back", async () => {
    const res = await asAdmin("POST", "/api/v1/mail/test", { to: "ops@example.com" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ to: "ops@example.com", smtp: `smtp://127.0.0.1:${smtp.port} (none)`, response: expect.stringMatching(/^250 /) });
    const mail = await smtp.waitFor((m) => m.to.includes("ops@example.com"));
    expect(mail.subject).toBe("Defguard: Test mail");
    expect(mail.text).toContain("This is a test mail that admin sent from the settings of Defguard");
  });

  test("the server's refusal is reported (502) with its words; a bad address is a 400", async () => {
    const res = await asAdmin("POST", "/api/v1/mail/test", { to: "nobody@example.com" });
    expect(res.status).toBe(502);
    expect(res.body.error).toStartWith(`smtp://127.0.0.1:${smtp.port} (none) did not take the mail: `);
    expect(res.body.error).toContain("550 5.1.1 no such mailbox");
    expect(await asAdmin("POST", "/api/v1/mail/test", { to: "x" })).toMatchObject({ status: 400, body: { error: "to: expected an email address" } });
  });
});

describe("retry now", () => {
  test("a waiting mail becomes due and the worker is woken; sent, given-up and unknown mails are refused", async () => {
    const id = await enqueueMail(ctx.db.sql, { to: "a@example.com", subject: "s", text: "t", html: "h", kind: "welcome" });
    await ctx.db.sql`UPDATE mail_outbox SET next_attempt_at = now() + interval '1 hour', attempts = 2, last_error = 'ECONNREFUSED' WHERE id = ${id}`;
    const before = wakeUps;
    expect(await asAdmin("POST", `/api/v1/mail/outbox/${id}/retry`)).toMatchObject({ status: 200, body: { id, state: "pending" } });
    expect(wakeUps).toBe(before + 1);
    const [row] = await ctx.db.sql<{ due: boolean }[]>`SELECT next_attempt_at <= now() AS due FROM mail_outbox WHERE id = ${id}`;
    expect(row!.due).toBe(true);
    for (const state of ["sent", "failed", "sending"] as const) {
      await ctx.db.sql`UPDATE mail_outbox SET state = ${state} WHERE id = ${id}`;
      expect(await asAdmin("POST", `/api/v1/mail/outbox/${id}/retry`)).toMatchObject({ status: 400, body: { error: MAIL_MESSAGES[state](id) } });
    }
    expect(await asAdmin("POST", "/api/v1/mail/outbox/999999/retry")).toMatchObject({ status: 404, body: { error: "mail 999999 not found" } });
  });
});
