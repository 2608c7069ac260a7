import { describe, expect, test } from "bun:test";
import {
  MAIL_KINDS,
  testMail,
  desktopSetup,
  enrollmentInvitation,
  enrollmentLink,
  mfaActivation,
  mfaCode,
  mfaGuessing,
  newDevice,
  passwordChanged,
  passwordReset,
  passwordResetLink,
  welcome,
  type MailContent,
} from "./templates.tsx";
import { formatDuration, formatTime } from "./mail-layout.tsx";
import { subjectLine } from "./subject-line.ts";

const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const PUBKEY = "hvLkFZ9eRrqnwdKMY2lWBFD5w4lhyXKcYhCyJtOGPWs=";
const base = { instanceName: "Acme VPN", firstName: "Alice" };
const ALICE = { first_name: "Alice", last_name: "Liddell", username: "alice" };
/** The welcome mail's settings as migration 0013 sets them, on an instance named Acme VPN. */
const WELCOME_DEFAULTS = {
  instance_name: "Acme VPN",
  enrollment_welcome_message: "# Welcome, {first_name} {last_name}!\n\nYour VPN access is ready.",
  enrollment_welcome_email_subject: "Your account is active",
  enrollment_welcome_email: "Hello {first_name},\n\nYour account **{username}** is now active. You can sign in with your username and the password you chose.",
  enrollment_use_welcome_message_as_email: false,
};

/** Every template once, with values a hostile user could choose where users choose them. */
function everyMail(): MailContent[] {
  return [
    enrollmentInvitation({ ...base, enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 86_400 }),
    desktopSetup({ ...base, enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 86_400 }),
    welcome({ user: ALICE, settings: WELCOME_DEFAULTS, defguardUrl: "https://vpn.example.com" }),
    newDevice({ ...base, deviceName: "laptop", publicKey: PUBKEY, addedAt: new Date("2024-01-24T14:05:41Z"), ipAddress: "203.0.113.7" }),
    passwordReset({ ...base, enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 86_400 }),
    passwordChanged({ ...base, changedAt: new Date("2024-01-24T14:05:41Z") }),
    mfaCode({ ...base, code: "123456", validForS: 60 }),
    mfaActivation({ ...base, code: "654321", validForS: 60 }),
    mfaGuessing({ ...base, deviceName: "<laptop>", locationName: "hq", failures: 5, at: new Date("2024-01-24T14:05:41Z"), ipAddress: "203.0.113.7" }),
    testMail({ ...base, smtp: "smtp://mail.example.com:587 (starttls)", sentBy: "admin" }),
  ];
}

describe("links", () => {
  test("the enrollment link is DEFGUARD_ENROLLMENT_URL with ?token=", () => {
    expect(enrollmentLink("http://localhost:8080", TOKEN)).toBe(`http://localhost:8080/?token=${TOKEN}`);
    expect(enrollmentLink("https://x.example.com/enroll", TOKEN)).toBe(`https://x.example.com/enroll?token=${TOKEN}`);
  });

  test("the reset link is DEFGUARD_ENROLLMENT_URL + /password-reset?token=, keeping a base path", () => {
    expect(passwordResetLink("http://localhost:8080", TOKEN)).toBe(`http://localhost:8080/password-reset?token=${TOKEN}`);
    expect(passwordResetLink("https://x.example.com/enroll/", TOKEN)).toBe(`https://x.example.com/enroll/password-reset?token=${TOKEN}`);
    expect(passwordResetLink("https://x.example.com/enroll", TOKEN)).toBe(`https://x.example.com/enroll/password-reset?token=${TOKEN}`);
  });
});

describe("templates", () => {
  test("each kind has a template, a subject with the instance name, text and an HTML document", () => {
    const mails = everyMail();
    expect(mails.map((m) => m.kind)).toEqual([...MAIL_KINDS]);
    for (const m of mails) {
      expect(m.subject.startsWith("Acme VPN: ")).toBe(true);
      expect(m.text).toContain("Hello Alice,");
      expect(m.html.startsWith("<!DOCTYPE html><html")).toBe(true);
      expect(m.html).toContain("Hello Alice,");
    }
  });

  test("the subjects", () => {
    expect(everyMail().map((m) => m.subject)).toEqual([
      "Acme VPN: Set up your VPN access",
      "Acme VPN: Add a device with the Defguard client",
      "Acme VPN: Your account is active",
      "Acme VPN: A new device was added to your account",
      "Acme VPN: Reset your password",
      "Acme VPN: Your password was changed",
      "Acme VPN: Your VPN sign-in code",
      "Acme VPN: Confirm email sign-in codes",
      "Acme VPN: Someone is trying to guess your VPN sign-in codes",
      "Acme VPN: Test mail",
    ]);
  });

  test("the invitation carries the enrollment link and how long it is valid", () => {
    const m = enrollmentInvitation({ ...base, enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 86_400 });
    expect(m.text).toContain(`https://enroll.example.com/?token=${TOKEN}`);
    expect(m.text).toContain("valid for 24 hours");
    expect(m.html).toContain(`href="https://enroll.example.com/?token=${TOKEN}"`);
  });

  test("the desktop setup mail carries the instance URL and the token for the client", () => {
    const m = desktopSetup({ ...base, enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 86_400 });
    expect(m.text).toContain(`URL: https://enroll.example.com\nToken: ${TOKEN}\n`);
    expect(m.html).toContain(`>${TOKEN}</span>`);
  });

  test("the reset mail carries the reset link", () => {
    const m = passwordReset({ ...base, enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 600 });
    expect(m.text).toContain(`https://enroll.example.com/password-reset?token=${TOKEN}`);
    expect(m.text).toContain("valid for 10 minutes");
    expect(m.html).toContain(`href="https://enroll.example.com/password-reset?token=${TOKEN}"`);
  });

  test("the new-device mail names the device, its key, when and from where", () => {
    const m = newDevice({ ...base, deviceName: "laptop", publicKey: PUBKEY, addedAt: new Date("2024-01-24T14:05:41Z"), ipAddress: "203.0.113.7" });
    for (const body of [m.text, m.html]) {
      expect(body).toContain("laptop");
      expect(body).toContain(PUBKEY);
      expect(body).toContain("2024-01-24 14:05 UTC");
      expect(body).toContain("203.0.113.7");
    }
  });

  test("the code mails carry the code and its lifetime", () => {
    for (const m of [mfaCode({ ...base, code: "123456", validForS: 60 }), mfaActivation({ ...base, code: "123456", validForS: 60 })]) {
      expect(m.text).toContain("    123456\n");
      expect(m.text).toContain("valid for 1 minute.");
      expect(m.html).toContain(">123456</strong>");
    }
  });

  test("no mail carries a secret it does not exist for", () => {
    const [invite, desktop, welcomeMail, device, reset, changed, code, activation] = everyMail();
    for (const m of [welcomeMail!, device!, changed!, code!, activation!]) expect(m.text + m.html).not.toContain(TOKEN);
    for (const m of [invite!, desktop!, welcomeMail!, device!, reset!, changed!]) expect(m.text + m.html).not.toMatch(/\b(123456|654321)\b/);
    expect(code!.text + code!.html).not.toContain("654321");
  });

  test("names and device names are HTML-escaped, in text and in attributes", () => {
    const evil = `<script>alert("x")</script>&`;
    const m = newDevice({ instanceName: evil, firstName: evil, deviceName: evil, publicKey: PUBKEY, addedAt: new Date(0) });
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;");
    expect(m.text).toContain(evil); // plain text is not markup
    const w = welcome({ user: ALICE, settings: { ...WELCOME_DEFAULTS, instance_name: `"><img src=x>` }, defguardUrl: "https://vpn.example.com/?a=1&b=2" });
    expect(w.html).not.toContain("<img");
    expect(w.html).toContain(`href="https://vpn.example.com/?a=1&amp;b=2"`);
  });

  test("a line break in the instance name cannot add a header to the subject", () => {
    const m = welcome({ user: ALICE, settings: { ...WELCOME_DEFAULTS, instance_name: "Acme\r\nBcc: evil@example.com" }, defguardUrl: "https://x.example.com" });
    expect(m.subject).toBe("Acme Bcc: evil@example.com: Your account is active");
  });
});

describe("the welcome mail", () => {
  const TEXTS = {
    ...WELCOME_DEFAULTS,
    enrollment_welcome_email_subject: "Welcome aboard, {first_name}",
    enrollment_welcome_email: "## Hi {first_name} {last_name}\n\nYour login is **{username}**. Read the [guide](https://example.com/guide).",
  };
  const welcomeOf = (user: typeof ALICE, settings: typeof TEXTS) => welcome({ user, settings, defguardUrl: "https://vpn.example.com" });
  const FOOTER = "\n\n--\nThis message was sent by Acme VPN (Defguard). Please do not reply to it.\n";

  test("the defaults say what the built-in mail said: hello, the account is active, a button to sign in", () => {
    const m = welcomeOf(ALICE, WELCOME_DEFAULTS);
    expect(m.subject).toBe("Acme VPN: Your account is active");
    expect(m.text).toBe(
      "Hello Alice,\n\nYour account **alice** is now active. You can sign in with your username and the password you chose.\n\nSign in at https://vpn.example.com" + FOOTER,
    );
    expect(m.html).toContain(
      "<div><p>Hello Alice,</p>\n<p>Your account <strong>alice</strong> is now active. You can sign in with your username and the password you chose.</p>\n</div>",
    );
    expect(m.html).toContain('<a href="https://vpn.example.com" style="display:inline-block;padding:10px 18px;background:#0c8ce0;color:#ffffff;text-decoration:none;border-radius:6px;">Open Acme VPN</a>');
  });

  test("the admin's subject and Markdown body with {first_name}, {last_name} and {username} filled in; the text part is that Markdown", () => {
    const m = welcomeOf(ALICE, TEXTS);
    expect([m.kind, m.subject]).toEqual(["welcome", "Acme VPN: Welcome aboard, Alice"]);
    expect(m.text).toBe("## Hi Alice Liddell\n\nYour login is **alice**. Read the [guide](https://example.com/guide).\n\nSign in at https://vpn.example.com" + FOOTER);
    expect(m.html).toContain('<h1 style="font-size:20px;margin:0 0 16px;">Welcome aboard, Alice</h1>');
    expect(m.html).toContain(
      '<div><h2>Hi Alice Liddell</h2>\n<p>Your login is <strong>alice</strong>. Read the <a href="https://example.com/guide" rel="noopener noreferrer" target="_blank">guide</a>.</p>\n</div>',
    );
  });

  test("with enrollment_use_welcome_message_as_email the enrollment page's welcome message is the body", () => {
    const m = welcomeOf(ALICE, { ...TEXTS, enrollment_use_welcome_message_as_email: true });
    expect(m.subject).toBe("Acme VPN: Welcome aboard, Alice");
    expect(m.text).toBe("# Welcome, Alice Liddell!\n\nYour VPN access is ready.\n\nSign in at https://vpn.example.com" + FOOTER);
    expect(m.html).toContain("<div><h1>Welcome, Alice Liddell!</h1>\n<p>Your VPN access is ready.</p>\n</div>");
    expect(m.html).not.toContain("Hi Alice");
  });

  test("a user's names are text in the HTML: no tag, no Markdown, no link of theirs; as they are in the text part", () => {
    const mallory = { first_name: "<script>alert(1)</script>", last_name: "[pay here](https://evil.example) **now**\n# Big", username: "m_a.l" };
    const m = welcomeOf(mallory, TEXTS);
    expect(m.html).not.toMatch(/<script|evil\.example"|<strong>now|<h1>Big/);
    expect(m.html).toContain("<div><h2>Hi &lt;script&gt;alert(1)&lt;/script&gt; [pay here](https://evil.example) **now** # Big</h2>\n<p>Your login is <strong>m_a.l</strong>.");
    expect(m.text).toStartWith(`## Hi ${mallory.first_name} ${mallory.last_name}\n\nYour login is **m_a.l**.`);
    expect(m.subject).toBe("Acme VPN: Welcome aboard, <script>alert(1)</script>");
  });

  test("the admin's own HTML is shown as text and unsafe links are dropped", () => {
    const m = welcomeOf(ALICE, { ...TEXTS, enrollment_welcome_email: "<img src=x onerror=alert(1)> [click](javascript:alert(1))" });
    expect(m.html).toContain("<div><p>&lt;img src=x onerror=alert(1)&gt; click</p>\n</div>");
  });
});

describe("formatting", () => {
  test("durations", () => {
    expect([1, 60, 90, 600, 3_600, 86_400, 172_800].map(formatDuration)).toEqual([
      "1 second",
      "1 minute",
      "90 seconds",
      "10 minutes",
      "1 hour",
      "24 hours",
      "2 days",
    ]);
  });

  test("times are UTC to the minute", () => {
    expect(formatTime(new Date("2024-01-24T14:05:41.365Z"))).toBe("2024-01-24 14:05 UTC");
  });

  test("subject lines drop control characters", () => {
    expect(subjectLine("A\u0000B\tC", "T")).toBe("A B C: T");
  });
});
