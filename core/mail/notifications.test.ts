import { afterEach, beforeEach, expect, test, setDefaultTimeout } from "bun:test";
import { AppError, GrpcStatus } from "../../shared/errors.ts";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../test/support/smtp.ts";
import type { StartedEnrollment } from "../users/start-enrollment.ts";
import { createMailNotifications, MAIL_NOT_CONFIGURED } from "./notifications.ts";
import { createMailWorker, type MailWorker } from "./worker.ts";

// Real databases (PGlite takes seconds to start) and SMTP on a shared 2-core machine; no duration is asserted.
setDefaultTimeout(30_000);

const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const log = createLogger({ level: "error", format: "text", target: "test", write: () => {} });
const user = { id: 7, username: "alice", email: "alice@acme.example", first_name: "Alice", last_name: "Liddell" };

let db: TestDatabase;
let smtp: TestSmtpServer;
let worker: MailWorker;

beforeEach(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtpServer();
  await db.sql`UPDATE settings SET instance_name = 'Acme VPN' WHERE id = 1`;
});
afterEach(async () => {
  await worker?.stop();
  await smtp.stop();
  await db.cleanup();
});

function setup(configured = true) {
  const config = {
    smtp: configured ? { host: "127.0.0.1", port: smtp.port, sender: "vpn@acme.example", encryption: "none" as const } : undefined,
    url: "https://vpn.acme.example",
    enrollmentUrl: "https://enroll.acme.example",
  };
  worker = createMailWorker({ sql: db.sql, config, log, options: { pollIntervalMs: 60_000 } });
  worker.start();
  return createMailNotifications({ sql: db.sql, config, worker, log });
}

function started(kind: "enrollment" | "desktop"): StartedEnrollment {
  const info = { ...user, phone: null, is_active: true, enrolled: kind === "desktop", is_admin: false, mfa_enabled: false, totp_enabled: false, email_mfa_enabled: false, groups: [] };
  return { kind, user: info, token: TOKEN, url: `https://enroll.acme.example/?token=${TOKEN}`, email: "invite@acme.example", expiresAt: new Date(Date.now() + 86_400_000) };
}

test("start_enrollment's invitation goes to the given address with the enrollment link, valid 24 hours", async () => {
  await setup().sendEnrollmentNotification(started("enrollment"));
  const mail = await smtp.waitFor(() => true);
  expect(mail).toMatchObject({ to: ["invite@acme.example"], subject: "Acme VPN: Set up your VPN access" });
  expect(mail.text).toContain(`https://enroll.acme.example/?token=${TOKEN}`);
  expect(mail.text).toContain("valid for 24 hours");
});

test("start_desktop's mail gives the URL and token for the desktop client", async () => {
  await setup().sendEnrollmentNotification(started("desktop"));
  const mail = await smtp.waitFor(() => true);
  expect(mail.subject).toBe("Acme VPN: Add a device with the Defguard client");
  expect(mail.text).toContain(`URL: https://enroll.acme.example\nToken: ${TOKEN}\n`);
});

test("without SMTP the invitation is refused with INVALID_ARGUMENT and nothing is queued", async () => {
  const err = await setup(false).sendEnrollmentNotification(started("enrollment")).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, message: MAIL_NOT_CONFIGURED });
  expect(await db.sql`SELECT 1 FROM mail_outbox`).toHaveLength(0);
});

test("after enrollment: a welcome on activation, a notice with name, key and IP for a new device", async () => {
  const { enrollmentEvents } = setup();
  await enrollmentEvents.onUserActivated!({ user });
  const pubkey = "hvLkFZ9eRrqnwdKMY2lWBFD5w4lhyXKcYhCyJtOGPWs=";
  await enrollmentEvents.onDeviceAdded!({ user, device: { id: 1, name: "laptop", pubkey, networks: [] }, deviceInfo: { ip_address: "203.0.113.7" } });
  const [welcomeMail, deviceMail] = [await smtp.waitFor((m) => m.subject.includes("active")), await smtp.waitFor((m) => m.subject.includes("device"))];
  expect(welcomeMail).toMatchObject({ to: ["alice@acme.example"], subject: "Acme VPN: Your account is active" });
  expect(welcomeMail.text).toContain("Your account alice on Acme VPN is now active. You can sign in at https://vpn.acme.example");
  expect(deviceMail).toMatchObject({ to: ["alice@acme.example"], subject: "Acme VPN: A new device was added to your account" });
  for (const part of ['"laptop"', pubkey, "from 203.0.113.7"]) expect(deviceMail.text).toContain(part);
});

test("without SMTP the enrollment notices are skipped, not queued forever", async () => {
  const { enrollmentEvents } = setup(false);
  await enrollmentEvents.onUserActivated!({ user });
  expect(await db.sql`SELECT 1 FROM mail_outbox`).toHaveLength(0);
});
