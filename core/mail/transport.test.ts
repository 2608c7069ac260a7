import { afterEach, describe, expect, test, setDefaultTimeout } from "bun:test";
import { startTestSmtpServer, type TestSmtpServer, type TestSmtpTls } from "../../test/support/smtp.ts";
import type { SmtpEncryption, SmtpSettings } from "./smtp-settings.ts";
import { describeSendError, isPermanentFailure, messageIdFor, sendMail, senderDomain, transportOptions, type OutgoingMail } from "./transport.ts";

// Real databases (PGlite takes seconds to start) and SMTP on a shared 2-core machine; no duration is asserted.
setDefaultTimeout(30_000);

const AUTH = { user: "mailer", password: "s3cret-Pa55" };
const servers: TestSmtpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function server(tls: TestSmtpTls, auth: typeof AUTH | undefined = AUTH): Promise<TestSmtpServer> {
  const s = await startTestSmtpServer({ tls, auth });
  servers.push(s);
  return s;
}

function settingsFor(s: TestSmtpServer, encryption: SmtpEncryption, auth: Partial<typeof AUTH> = AUTH): SmtpSettings {
  return { host: "127.0.0.1", port: s.port, user: auth.user, password: auth.password, sender: "Defguard <vpn@example.com>", encryption };
}

let nextId = 1;
function outgoing(to = "alice@example.com"): OutgoingMail {
  return { id: nextId++, to, subject: "Test ✓", text: "plain body", html: "<p>html body</p>", createdAt: new Date("2024-01-24T14:05:41Z") };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the send to fail");
}

describe("sending through a real SMTP server", () => {
  test("plain SMTP with user and password", async () => {
    const s = await server("none");
    const mail = outgoing();
    expect(await sendMail(settingsFor(s, "none"), mail)).toContain("250");
    const got = await s.waitFor(() => true, 5_000);
    expect(got).toMatchObject({ envelopeFrom: "vpn@example.com", envelopeTo: ["alice@example.com"], to: ["alice@example.com"], from: "vpn@example.com" });
    expect(got).toMatchObject({ subject: "Test ✓", text: "plain body", html: "<p>html body</p>", secure: false, authUser: "mailer" });
    expect(got.messageId).toBe(messageIdFor(mail, "vpn@example.com"));
  });

  test("STARTTLS, trusting the test CA only through tls.ca", async () => {
    const s = await server("starttls");
    await sendMail(settingsFor(s, "starttls"), outgoing(), { ca: s.ca });
    expect(await s.waitFor(() => true, 5_000)).toMatchObject({ secure: true, authUser: "mailer", text: "plain body" });
  });

  test("implicit TLS, trusting the test CA only through tls.ca", async () => {
    const s = await server("implicit");
    await sendMail(settingsFor(s, "tls"), outgoing(), { ca: s.ca });
    expect(await s.waitFor(() => true, 5_000)).toMatchObject({ secure: true, authUser: "mailer", html: "<p>html body</p>" });
  });

  test("a certificate from a CA the client does not trust is refused (STARTTLS and TLS)", async () => {
    const starttls = await server("starttls");
    const implicit = await server("implicit");
    const e1 = await failureOf(sendMail(settingsFor(starttls, "starttls"), outgoing()));
    const e2 = await failureOf(sendMail(settingsFor(implicit, "tls"), outgoing()));
    for (const err of [e1, e2]) {
      expect(describeSendError(err)).toMatch(/certificate/i);
      expect(isPermanentFailure(err)).toBe(false);
    }
    expect(starttls.messages.length + implicit.messages.length).toBe(0);
  });

  test("starttls against a server that does not offer STARTTLS fails instead of sending in clear", async () => {
    const s = await server("none");
    const err = await failureOf(sendMail(settingsFor(s, "starttls"), outgoing()));
    expect(describeSendError(err)).toMatch(/STARTTLS/);
    expect(s.messages).toHaveLength(0);
  });

  test("a wrong password is an EAUTH failure that is retried, and its message has no password", async () => {
    const s = await server("none");
    const err = await failureOf(sendMail(settingsFor(s, "none", { user: "mailer", password: "wrong-Pa55" }), outgoing()));
    expect((err as { code?: string }).code).toBe("EAUTH");
    expect(isPermanentFailure(err)).toBe(false);
    expect(describeSendError(err)).not.toContain("wrong-Pa55");
    expect(s.messages).toHaveLength(0);
  });

  test("a server that requires auth refuses a client without credentials", async () => {
    const s = await server("none");
    const err = await failureOf(sendMail(settingsFor(s, "none", {}), outgoing()));
    expect(isPermanentFailure(err)).toBe(false);
    expect(s.messages).toHaveLength(0);
  });

  test("a recipient refused with 550 is a permanent failure", async () => {
    const s = await server("none");
    s.rejectRecipient = (address) => (address === "gone@example.com" ? "Mailbox unavailable" : undefined);
    const err = await failureOf(sendMail(settingsFor(s, "none"), outgoing("gone@example.com")));
    expect(isPermanentFailure(err)).toBe(true);
    expect(describeSendError(err)).toMatch(/^EENVELOPE: .*550 Mailbox unavailable/);
  });

  test("nothing listening is a connection failure that is retried", async () => {
    const s = await server("none");
    await s.stop();
    const err = await failureOf(sendMail(settingsFor(s, "none"), outgoing()));
    expect(describeSendError(err)).toMatch(/^ESOCKET: |^ECONNECTION: /);
    expect(isPermanentFailure(err)).toBe(false);
  });
});

describe("pure parts", () => {
  const base: SmtpSettings = { host: "smtp.example.com", port: 587, user: "u", password: "p", sender: "vpn@example.com", encryption: "starttls" };

  test("encryption maps to nodemailer's secure/requireTLS/ignoreTLS, verification always on", () => {
    const pick = (e: SmtpEncryption) => {
      const o = transportOptions({ ...base, encryption: e });
      return [o.secure, o.requireTLS, o.ignoreTLS, o.tls?.rejectUnauthorized];
    };
    expect(pick("none")).toEqual([false, false, true, true]);
    expect(pick("starttls")).toEqual([false, true, false, true]);
    expect(pick("tls")).toEqual([true, false, false, true]);
  });

  test("auth only when both user and password are set", () => {
    expect(transportOptions(base).auth).toEqual({ user: "u", pass: "p" });
    expect(transportOptions({ ...base, password: undefined }).auth).toBeUndefined();
  });

  test("the Message-ID is the same for every attempt of one row and uses the sender's domain", () => {
    const mail = { id: 42, createdAt: new Date(1_700_000_000_000) };
    expect(messageIdFor(mail, "Defguard <vpn@corp.example>")).toBe("<defguard-outbox-42-1700000000000@corp.example>");
    expect(senderDomain("no-domain")).toBe("localhost");
    expect(senderDomain("x@bad domain")).toBe("localhost");
  });

  test("permanent: a 5xx to RCPT TO or DATA; retried: 4xx, auth replies, MAIL FROM, no reply", () => {
    const cases: [object, boolean][] = [
      [{ code: "EENVELOPE", command: "RCPT TO", responseCode: 550 }, true],
      [{ code: "EMESSAGE", command: "DATA", responseCode: 552 }, true],
      [{ code: "EENVELOPE", command: "RCPT TO", responseCode: 450 }, false],
      [{ code: "EENVELOPE", command: "MAIL FROM", responseCode: 530 }, false],
      [{ code: "EENVELOPE", command: "MAIL FROM", responseCode: 550 }, false],
      [{ code: "EAUTH", command: "AUTH PLAIN", responseCode: 535 }, false],
      [{ code: "ECONNECTION" }, false],
      [new Error("boom"), false],
    ];
    for (const [err, permanent] of cases) expect([err, isPermanentFailure(err)]).toEqual([err, permanent]);
  });

  test("error descriptions are one line, at most 500 characters", () => {
    const long = Object.assign(new Error(`a\nb ${"x".repeat(1_000)}`), { code: "ESOCKET" });
    const line = describeSendError(long);
    expect(line.startsWith("ESOCKET: a b x")).toBe(true);
    expect(line).toHaveLength(500);
  });
});
