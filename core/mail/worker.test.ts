// The outbox worker against a real PostgreSQL and a real SMTP server: delivery of every template, outages,
// retries and giving up, several cores on one outbox, leases of dead cores, and an orderly stop.
import { afterEach, beforeEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { openDatabase } from "../db/connection.ts";
import { createLogger, type Logger } from "../../shared/logger.ts";
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { startTestSmtpServer, type TestSmtpServer, type TestSmtpTls } from "../../test/support/smtp.ts";
import { enqueueMail, listOutbox } from "./outbox.ts";
import type { CoreConfig } from "../config.ts";
import * as templates from "./templates.tsx";
import { createMailWorker, type MailWorker, type MailWorkerOptions } from "./worker.ts";

// Real databases (PGlite takes seconds to start) and SMTP on a shared 2-core machine; no duration is asserted.
setDefaultTimeout(30_000);

const PASSWORD = "smtp-Pa55word-never-logged";
const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
/** Quick retries, and polling so rare that only start() and wakeUp() make the worker look. */
const FAST: MailWorkerOptions = { pollIntervalMs: 60_000, retry: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 1_000 } };

let db: TestDatabase;
let smtp: TestSmtpServer;
let logLines: string[];
let log: Logger;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  smtp = await startTestSmtpServer({ auth: { user: "mailer", password: PASSWORD } });
  logLines = [];
  log = createLogger({ level: "debug", format: "text", target: "defguard_core::mail", write: (line) => logLines.push(line) });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await smtp.stop();
  await db.cleanup();
});

function smtpConfig(): Pick<CoreConfig, "smtp"> {
  return { smtp: { host: "127.0.0.1", port: smtp.port, user: "mailer", password: PASSWORD, sender: "Acme VPN <vpn@acme.example>", encryption: "none" } };
}

function worker(options: MailWorkerOptions = FAST, sql = db.sql, config = smtpConfig()): MailWorker {
  const w = createMailWorker({ sql, config, log, options });
  cleanups.push(() => w.stop());
  return w;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await Bun.sleep(20);
  }
}

type Row = { id: number; state: string; attempts: number; last_error: string | null; text: string; html: string; sent_at: Date | null };
const rows = () => db.sql<Row[]>`SELECT id, state, attempts, last_error, text, html, sent_at FROM mail_outbox ORDER BY id`;
const allIn = (state: string) => async () => (await rows()).every((r) => r.state === state);

function simpleMail(i: number) {
  return { to: `user${i}@example.com`, kind: "welcome", subject: `Mail ${i}`, text: `Body ${i}`, html: `<p>Body ${i}</p>` };
}

describe("delivery", () => {
  test("every template is sent once with its recipient, subject, text and HTML; bodies are blanked after", async () => {
    const who = { instanceName: "Acme VPN", firstName: "Alice" };
    const mails = [
      templates.enrollmentInvitation({ ...who, enrollmentUrl: "https://enroll.acme.example", token: TOKEN, validForS: 86_400 }),
      templates.desktopSetup({ ...who, enrollmentUrl: "https://enroll.acme.example", token: TOKEN, validForS: 86_400 }),
      templates.welcome({
        user: { first_name: "Alice", last_name: "Liddell", username: "alice" },
        settings: { instance_name: "Acme VPN", enrollment_welcome_message: "", enrollment_welcome_email_subject: "Welcome", enrollment_welcome_email: "Hello {first_name},", enrollment_use_welcome_message_as_email: false },
        defguardUrl: "https://vpn.acme.example",
      }),
      templates.newDevice({ ...who, deviceName: "laptop", publicKey: "hvLkFZ9eRrqnwdKMY2lWBFD5w4lhyXKcYhCyJtOGPWs=", addedAt: new Date() }),
      templates.passwordReset({ ...who, enrollmentUrl: "https://enroll.acme.example", token: TOKEN, validForS: 600 }),
      templates.passwordChanged({ ...who, changedAt: new Date(), ipAddress: "203.0.113.7" }),
      templates.mfaCode({ ...who, code: "123456", validForS: 60 }),
      templates.mfaActivation({ ...who, code: "654321", validForS: 60 }),
    ];
    const w = worker();
    w.start();
    for (const [i, m] of mails.entries()) await enqueueMail(db.sql, { to: `alice+${i}@acme.example`, ...m });
    w.wakeUp();
    await smtp.waitForCount(mails.length);
    for (const [i, m] of mails.entries()) {
      const got = smtp.messages.filter((r) => r.to[0] === `alice+${i}@acme.example`);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ envelopeTo: [`alice+${i}@acme.example`], from: "vpn@acme.example", subject: m.subject, authUser: "mailer" });
      expect(got[0]!.text.trimEnd()).toBe(m.text.trimEnd());
      expect(got[0]!.html).toBe(m.html);
    }
    await waitUntil("all are recorded as sent", allIn("sent"));
    for (const r of await rows()) expect(r).toMatchObject({ attempts: 1, last_error: null, text: "", html: "" });
    const logged = logLines.join("\n");
    expect(logged).toContain("INFO defguard_core::mail: Sent mail id=1 kind=enrollment_invitation to=alice+0@acme.example attempt=1");
    for (const secret of [PASSWORD, TOKEN, "123456", "654321", "Hello Alice"]) expect(logged).not.toContain(secret);
  });

  test("a mail enqueued in a transaction goes out only if the transaction commits", async () => {
    await db.sql.begin(async (tx) => {
      await enqueueMail(tx, simpleMail(1));
      await tx`SELECT 1`;
      throw new Error("roll back");
    }).catch(() => {});
    await db.sql.begin((tx) => enqueueMail(tx, simpleMail(2)));
    const w = worker();
    w.start();
    await smtp.waitFor((m) => m.subject === "Mail 2");
    await w.stop();
    expect(smtp.messages.map((m) => m.subject)).toEqual(["Mail 2"]);
  });

  test("without SMTP settings mail waits; once the settings row names a server, it goes out", async () => {
    await enqueueMail(db.sql, simpleMail(1));
    const w = worker(FAST, db.sql, {});
    w.start();
    await waitUntil("the worker says SMTP is missing", async () => logLines.some((l) => l.includes("SMTP is not configured")));
    expect(await rows()).toMatchObject([{ state: "pending", attempts: 0 }]);
    await db.sql`UPDATE settings SET smtp_host = '127.0.0.1', smtp_port = ${smtp.port}, smtp_sender = 'vpn@acme.example',
                 smtp_encryption = 'none', smtp_user = 'mailer', smtp_password = ${PASSWORD} WHERE id = 1`;
    w.wakeUp();
    await smtp.waitFor((m) => m.subject === "Mail 1");
    expect(logLines.join("\n")).toContain(`Sending mail through smtp://mailer@127.0.0.1:${smtp.port} (none)`);
    expect(logLines.join("\n")).not.toContain(PASSWORD);
  });
});

describe("encryption and databases", () => {
  const modes: [TestSmtpTls, "starttls" | "tls"][] = [
    ["starttls", "starttls"],
    ["implicit", "tls"],
  ];
  for (const [serverTls, encryption] of modes) {
    test(`${encryption}: the worker authenticates over TLS, trusting the test CA given in its options`, async () => {
      const secure = await startTestSmtpServer({ tls: serverTls, auth: { user: "mailer", password: PASSWORD } });
      cleanups.push(() => secure.stop());
      const config = { smtp: { ...smtpConfig().smtp!, port: secure.port, encryption } };
      await enqueueMail(db.sql, simpleMail(1));
      worker({ ...FAST, tls: { ca: secure.ca } }, db.sql, config).start();
      expect(await secure.waitFor((m) => m.subject === "Mail 1")).toMatchObject({ secure: true, authUser: "mailer", text: "Body 1" });
    });
  }

  test("on the embedded PGlite (one connection): mails go out once, retried across an outage", async () => {
    const embedded = await createEmbeddedTestDatabase();
    cleanups.push(() => embedded.cleanup());
    await smtp.stop();
    for (let i = 0; i < 3; i++) await enqueueMail(embedded.sql, simpleMail(i));
    const w = worker(FAST, embedded.sql);
    w.start();
    await waitUntil("a failure is recorded", async () => (await embedded.sql`SELECT 1 FROM mail_outbox WHERE last_error IS NOT NULL`).length > 0);
    await smtp.start();
    await smtp.waitForCount(3);
    await waitUntil("all are sent", async () => (await embedded.sql`SELECT 1 FROM mail_outbox WHERE state <> 'sent'`).length === 0);
    await w.stop();
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual(["Mail 0", "Mail 1", "Mail 2"]);
  });
});

describe("failures", () => {
  test("SMTP down while mails are queued, then up: each arrives exactly once, last_error recorded meanwhile", async () => {
    await smtp.stop();
    for (let i = 0; i < 5; i++) await enqueueMail(db.sql, simpleMail(i));
    const w = worker();
    w.start();
    await waitUntil("every mail failed twice", async () => (await rows()).every((r) => r.attempts >= 2 && r.last_error !== null));
    const listed = await listOutbox(db.sql);
    expect(listed).toHaveLength(5);
    for (const entry of listed) {
      expect(["pending", "sending"]).toContain(entry.state);
      expect(entry.last_error).toMatch(/^(ESOCKET|ECONNECTION): .*ECONNREFUSED/);
    }
    expect(logLines.some((l) => l.includes("WARN defguard_core::mail: Sending mail failed, will retry"))).toBe(true);
    await smtp.start();
    await smtp.waitForCount(5);
    await waitUntil("all are recorded as sent", allIn("sent"));
    await w.stop();
    expect(smtp.messages.map((m) => m.subject).sort()).toEqual(["Mail 0", "Mail 1", "Mail 2", "Mail 3", "Mail 4"]);
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(5);
    for (const r of await rows()) expect(r.last_error).not.toBeNull(); // the outage stays visible to the admin
  });

  test("given up as failed after maxAttempts, bodies blanked, never sent afterwards", async () => {
    await smtp.stop();
    await enqueueMail(db.sql, { ...simpleMail(1), text: `reset ${TOKEN}` });
    const w = worker({ ...FAST, retry: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 } });
    w.start();
    await waitUntil("the mail failed", allIn("failed"));
    expect(await rows()).toMatchObject([{ state: "failed", attempts: 3, text: "", html: "", sent_at: null }]);
    expect((await rows())[0]!.last_error).toMatch(/ECONNREFUSED/);
    expect(logLines.filter((l) => l.includes("ERROR defguard_core::mail: Gave up sending mail id=1"))).toHaveLength(1);
    await smtp.start();
    await enqueueMail(db.sql, simpleMail(2));
    w.wakeUp();
    await smtp.waitFor((m) => m.subject === "Mail 2");
    expect(smtp.messages.map((m) => m.subject)).toEqual(["Mail 2"]);
  });

  test("a recipient the server refuses with 550 is failed after one attempt", async () => {
    smtp.rejectRecipient = (address) => (address === "user1@example.com" ? "No such user here" : undefined);
    await enqueueMail(db.sql, simpleMail(1));
    worker().start();
    await waitUntil("the mail failed", allIn("failed"));
    expect(await rows()).toMatchObject([{ state: "failed", attempts: 1, last_error: "EENVELOPE: Can't send mail - all recipients were rejected: 550 No such user here" }]);
  });
});

describe("several cores", () => {
  test("two workers on two connections share 50 mails: each arrives exactly once", async () => {
    const second = await openDatabase(db.config, log.child("second_core"));
    cleanups.push(() => second.close());
    for (let i = 0; i < 50; i++) await enqueueMail(db.sql, simpleMail(i));
    const sentBy = { a: 0, b: 0 };
    const counting = (core: "a" | "b") =>
      createLogger({ level: "info", format: "text", target: `core_${core}`, write: (line) => void (line.includes("Sent mail") && sentBy[core]++) });
    const a = createMailWorker({ sql: db.sql, config: smtpConfig(), log: counting("a"), options: { ...FAST, workerId: "core-a" } });
    const b = createMailWorker({ sql: second.sql, config: smtpConfig(), log: counting("b"), options: { ...FAST, workerId: "core-b" } });
    cleanups.push(() => a.stop(), () => b.stop());
    a.start();
    b.start();
    await smtp.waitForCount(50);
    await waitUntil("all are recorded as sent", allIn("sent"));
    await Promise.all([a.stop(), b.stop()]);
    expect(smtp.messages).toHaveLength(50);
    expect(sentBy.a + sentBy.b).toBe(50);
    expect(sentBy.a).toBeGreaterThan(0);
    expect(sentBy.b).toBeGreaterThan(0);
    const subjects = new Set(smtp.messages.map((m) => m.subject));
    expect(subjects.size).toBe(50);
    expect((await rows()).every((r) => r.attempts === 1)).toBe(true);
    const ids = (await rows()).map((r) => r.id);
    expect(new Set(smtp.messages.map((m) => m.messageId?.match(/defguard-outbox-(\d+)-/)?.[1])).size).toBe(ids.length);
  });

  test("a mail claimed by a core that died is sent by another once the lease expires", async () => {
    await enqueueMail(db.sql, simpleMail(1));
    await enqueueMail(db.sql, simpleMail(2));
    await db.sql`UPDATE mail_outbox SET state = 'sending', attempts = 1, claimed_by = 'dead-core', claimed_until = now() - interval '1 second' WHERE id = 1`;
    await db.sql`UPDATE mail_outbox SET state = 'sending', attempts = 1, claimed_by = 'live-core', claimed_until = now() + interval '1 hour' WHERE id = 2`;
    const w = worker();
    w.start();
    await smtp.waitFor((m) => m.subject === "Mail 1");
    await waitUntil("mail 1 is recorded as sent", async () => (await rows())[0]!.state === "sent");
    await w.stop();
    expect(await rows()).toMatchObject([
      { id: 1, state: "sent", attempts: 2 },
      { id: 2, state: "sending", attempts: 1 },
    ]);
    expect(smtp.messages.map((m) => m.subject)).toEqual(["Mail 1"]);
  });
});

describe("lifecycle", () => {
  test("stop() waits for the send in flight and records it", async () => {
    const hold = smtp.holdReplies();
    await enqueueMail(db.sql, simpleMail(1));
    const w = worker();
    w.start();
    await hold.arrived;
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await Bun.sleep(50);
    expect(stopped).toBe(false);
    hold.release();
    await stopping;
    expect(await rows()).toMatchObject([{ state: "sent", attempts: 1 }]);
    expect(smtp.messages).toHaveLength(1);
  });

  test("after stop() nothing more is claimed", async () => {
    const w = worker();
    w.start();
    await w.stop();
    await enqueueMail(db.sql, simpleMail(1));
    w.wakeUp();
    await Bun.sleep(100);
    expect(await rows()).toMatchObject([{ state: "pending", attempts: 0 }]);
  });
});
