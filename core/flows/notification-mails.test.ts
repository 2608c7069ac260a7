// The flows' mails on a real database and SMTP server: the invitation of the admin API's start_enrollment
// and start_desktop, the welcome after activation and the "new device" notice, queued with their step.
import { beforeAll, describe, expect, test } from "bun:test";
import { createAdminTestContext, type AdminTestContext } from "../../test/support/admin-api.ts";
import { createFlowHarness, errorOf, type FlowHarness, newDeviceKey, useFlowHarness } from "../../test/support/flow-harness.ts";
import { addToken, addUser } from "./enrollment/test-fixtures.ts";
import { DEVICE_MESSAGES } from "./enrollment.ts";
import { createEnrollmentNotifier } from "./notification-mails.ts";

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

describe("enrollment notices", () => {
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
    expect(welcome.text).toStartWith(
      `Hello Pia,\n\nYour account **${user.username}** is now active. You can sign in with your username and the password you chose.\n\nSign in at https://defguard.example.com\n`,
    );
    expect(welcome.html).toContain(`<p>Your account <strong>${user.username}</strong> is now active.`);
    expect(welcome.text).not.toContain("Welc0me-aboard!");
  });

  /** A new user who activates their account; their username and the welcome mail they get. */
  async function activatedUser(first_name: string, last_name: string) {
    const user = await addUser(h.sql, { first_name, last_name });
    const token = await addToken(h.sql, user.id);
    await h.call("enrollment_start", { token });
    expect(errorOf(await h.call("activate_user", { token, password: "Welc0me-aboard!" }))).toBeUndefined();
    return { username: user.username, mail: await h.smtp.waitFor((m) => m.to.includes(`${user.username}@example.com`)) };
  }

  test("the welcome mail is the admin's: their subject and Markdown with the user's names, or the page's message when they say so", async () => {
    try {
      await h.sql`UPDATE settings SET enrollment_welcome_email_subject = 'Welcome, {first_name} {last_name}',
                  enrollment_welcome_email = ${"## Hi {first_name}\n\nYour login: *{username}*"} WHERE id = 1`;
      const { username, mail } = await activatedUser("Tom", "<b>Bold</b>");
      expect(mail.subject).toBe("Defguard: Welcome, Tom <b>Bold</b>");
      expect(mail.text).toStartWith(`## Hi Tom\n\nYour login: *${username}*\n\nSign in at https://defguard.example.com\n`);
      expect(mail.html).toContain(`<div><h2>Hi Tom</h2>\n<p>Your login: <em>${username}</em></p>\n</div>`);
      expect(mail.html).toContain("<title>Welcome, Tom &lt;b&gt;Bold&lt;/b&gt;</title>");

      await h.sql`UPDATE settings SET enrollment_use_welcome_message_as_email = true WHERE id = 1`;
      const { mail: page } = await activatedUser("Uma", "Ode");
      expect(page.subject).toBe("Defguard: Welcome, Uma Ode");
      expect(page.html).toContain("<div><h1>Welcome, Uma Ode!</h1>\n<p>Your VPN access is ready.</p>\n</div>");
    } finally {
      await h.sql`UPDATE settings SET enrollment_welcome_email_subject = DEFAULT, enrollment_welcome_email = DEFAULT,
                  enrollment_use_welcome_message_as_email = DEFAULT WHERE id = 1`;
    }
  });

  test("each notice is in the outbox the moment its step answers; a refused step queues none", async () => {
    const user = await addUser(h.sql, { first_name: "Rita" });
    const email = `${user.username}@example.com`;
    const token = await addToken(h.sql, user.id);
    await h.call("enrollment_start", { token });
    const outbox = async () => (await h.sql<{ kind: string }[]>`SELECT kind FROM mail_outbox WHERE recipient = ${email} ORDER BY id`).map((r) => r.kind);
    const pubkey = newDeviceKey();
    expect(errorOf(await h.call("new_device", { token, name: "laptop", pubkey }))).toBeUndefined();
    expect(await outbox()).toEqual(["new_device"]);
    // Refused inside the transaction (the name is taken): rolled back with its mail.
    expect(errorOf(await h.call("new_device", { token, name: "laptop", pubkey: newDeviceKey() }))?.message).toBe(DEVICE_MESSAGES.nameTaken);
    expect(await outbox()).toEqual(["new_device"]);
    expect(errorOf(await h.call("activate_user", { token, password: "Welc0me-aboard!" }))).toBeUndefined();
    expect(await outbox()).toEqual(["new_device", "welcome"]);
  });

  test("two activations racing: one activates and queues the welcome, the other changes nothing", async () => {
    const user = await addUser(h.sql, { first_name: "Sara" });
    const email = `${user.username}@example.com`;
    const token = await addToken(h.sql, user.id);
    await h.call("enrollment_start", { token });
    const answers = await Promise.all([1, 2].map(() => h.call("activate_user", { token, password: "Welc0me-aboard!" })));
    expect(answers.filter((a) => errorOf(a) === undefined).length).toBe(1);
    expect([...(await h.sql`SELECT kind FROM mail_outbox WHERE recipient = ${email}`)]).toEqual([{ kind: "welcome" }]);
  });

  test("without SMTP the welcome and new-device notices are skipped, not left in the outbox", async () => {
    const bare = await createFlowHarness({ smtp: false });
    try {
      const user = await addUser(bare.sql);
      const token = await addToken(bare.sql, user.id);
      await bare.call("enrollment_start", { token });
      expect(errorOf(await bare.call("new_device", { token, name: "tablet", pubkey: newDeviceKey() }))).toBeUndefined();
      expect(errorOf(await bare.call("activate_user", { token, password: "Welc0me-aboard!" }))).toBeUndefined();
      expect((await bare.sql`SELECT 1 FROM mail_outbox`).length).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
