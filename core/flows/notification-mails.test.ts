// The flows' mails on a real database and SMTP server: the invitation of the admin API's start_enrollment
// and start_desktop, the welcome after activation and the "new device" notice; a failing hook fails nothing.
import { beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { createLogger } from "../../shared/logger.ts";
import { createAdminTestContext, type AdminTestContext } from "../../test/support/admin-api.ts";
import { createFlowHarness, errorOf, type FlowHarness, newDeviceKey, useFlowHarness } from "../../test/support/flow-harness.ts";
import { dispatch } from "../dispatcher.ts";
import { addToken, addUser } from "./enrollment/test-fixtures.ts";
import { enrollmentHandlers } from "./enrollment.ts";
import { createEnrollmentMailEvents, createEnrollmentNotifier } from "./notification-mails.ts";
import type { CoreRequest__Output } from "../../shared/proto.ts";

let h: FlowHarness;
let admin: AdminTestContext;

useFlowHarness((started) => (h = started));

beforeAll(async () => {
  admin = await createAdminTestContext({ sendEnrollmentNotification: createEnrollmentNotifier(h.mailDeps) }, h.db);
});

async function newUser(email: string) {
  const res = await admin.call("POST", "/api/v1/user", {
    cookie: admin.adminCookie,
    body: { username: email.split("@")[0], first_name: "Nina", last_name: "Novak", email },
  });
  expect(res.status).toBe(201);
  return res.body as { username: string; id: number };
}

describe("admin API invitations", () => {
  test("start_enrollment with send_enrollment_notification mails the link with the token it answers", async () => {
    const user = await newUser("nina@example.com");
    const res = await admin.call("POST", `/api/v1/user/${user.username}/start_enrollment`, { cookie: admin.adminCookie, body: { send_enrollment_notification: true } });
    expect(res.status).toBe(201);
    const mail = await h.smtp.waitFor((m) => m.to.includes("nina@example.com"));
    expect(mail.subject).toBe("Defguard: Set up your VPN access");
    expect(mail.text).toContain(`https://enroll.example.com/?token=${res.body.enrollment_token}`);
    expect(mail.text).toContain("Hello Nina,");
  });

  test("start_desktop mails the instance URL and token, to the address the admin names", async () => {
    const user = await newUser("olga@example.com");
    await h.sql`UPDATE users SET password_hash = 'set' WHERE id = ${user.id}`;
    const res = await admin.call("POST", `/api/v1/user/${user.username}/start_desktop`, {
      cookie: admin.adminCookie,
      body: { send_enrollment_notification: true, email: "olga.private@example.org" },
    });
    expect(res.status).toBe(201);
    const mail = await h.smtp.waitFor((m) => m.to.includes("olga.private@example.org"));
    expect(mail.subject).toBe("Defguard: Add a device with the Defguard client");
    expect(mail.text).toContain(`Token: ${res.body.enrollment_token}`);
  });

  test("without SMTP the notification is refused with 400 and no token is answered", async () => {
    const bare = await createAdminTestContext(
      { sendEnrollmentNotification: createEnrollmentNotifier({ ...h.mailDeps, config: { ...h.config, smtp: undefined } }) },
      h.db,
    );
    const user = await addUser(h.sql);
    const res = await bare.call("POST", `/api/v1/user/${user.username}/start_enrollment`, { cookie: bare.adminCookie, body: { send_enrollment_notification: true } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "send_enrollment_notification: mail is not configured on this core" });
  });
});

describe("enrollment events", () => {
  test("a new device and the activation each mail the user", async () => {
    const user = await addUser(h.sql, { first_name: "Pia" });
    const email = `${user.username}@example.com`;
    const token = await addToken(h.sql, user.id);
    await h.call("enrollment_start", { token });
    const pubkey = newDeviceKey();
    expect(errorOf(await h.call("new_device", { token, name: "work laptop", pubkey }, { ip_address: "198.51.100.4" }))).toBeUndefined();
    expect(errorOf(await h.call("activate_user", { token, password: "Welc0me-aboard!" }))).toBeUndefined();

    const device = await h.smtp.waitFor((m) => m.to.includes(email) && m.subject === "Defguard: A new device was added to your account");
    expect(device.text).toContain('The device "work laptop" was added to your account');
    expect(device.text).toContain("from 198.51.100.4");
    expect(device.text).toContain(pubkey);
    const welcome = await h.smtp.waitFor((m) => m.to.includes(email) && m.subject === "Defguard: Your account is active");
    expect(welcome.text).toContain(`Your account ${user.username} on Defguard is now active. You can sign in at https://defguard.example.com`);
    expect(welcome.text).not.toContain("Welc0me-aboard!");
  });

  test("a hook that cannot queue its mail leaves a warning; the enrollment request still succeeds", async () => {
    const closed = postgres({ host: "127.0.0.1", port: 1, max: 1, connect_timeout: 1, onnotice: () => {} });
    const lines: string[] = [];
    const log = createLogger({ level: "warn", format: "text", target: "test", write: (l) => lines.push(l) });
    const handlers = enrollmentHandlers({ config: h.config, sql: h.sql, log, events: createEnrollmentMailEvents({ sql: closed, config: h.config, log }) });
    const user = await addUser(h.sql);
    const token = await addToken(h.sql, user.id);
    const call = (kind: string, body: object) => dispatch({ id: 1, payload: kind, [kind]: body, device_info: null } as unknown as CoreRequest__Output, handlers, log);
    await call("enrollment_start", { token });
    expect(errorOf(await call("new_device", { token, name: "phone", pubkey: newDeviceKey() }))).toBeUndefined();
    expect(errorOf(await call("activate_user", { token, password: "Welc0me-aboard!" }))).toBeUndefined();
    for (let i = 0; i < 200 && lines.length < 2; i++) await Bun.sleep(20);
    expect(lines.filter((l) => l.includes("enrollment hook onDeviceAdded failed")).length).toBe(1);
    expect(lines.filter((l) => l.includes("enrollment hook onUserActivated failed")).length).toBe(1);
    await closed.end({ timeout: 1 });
  });

  test("without SMTP the welcome and new-device notices are skipped, not left in the outbox", async () => {
    const bare = await createFlowHarness({ smtp: false });
    try {
      const user = await addUser(bare.sql);
      const token = await addToken(bare.sql, user.id);
      await bare.call("enrollment_start", { token });
      expect(errorOf(await bare.call("new_device", { token, name: "tablet", pubkey: newDeviceKey() }))).toBeUndefined();
      expect(errorOf(await bare.call("activate_user", { token, password: "Welc0me-aboard!" }))).toBeUndefined();
      await Bun.sleep(100); // the hooks run after the answers; give them time to (not) queue
      expect((await bare.sql`SELECT 1 FROM mail_outbox`).length).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
