// Mail bodies at rest under DEFGUARD_SECRET_KEY: a queued mail's link is sealed in the outbox, the worker
// opens it and the SMTP server (a real one) gets the mail as written; a body sealed under another key is
// given up with the reason, never sent garbled.
import { describe, expect, test } from "bun:test";
import { type FlowHarness, useFlowHarness } from "../../test/support/flow-harness.ts";
import { queueMail } from "../flows/notification-mails.ts";
import { SEALED_PREFIX, SECRET_BOX_MESSAGES, createSecretBox } from "../mfa/secret-box.ts";
import { enqueueMail } from "./outbox.ts";
import * as templates from "./templates.tsx";

const KEY = "outbox-sealing-test-key-0123456789abcdef";
const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

let h: FlowHarness;
useFlowHarness((started) => (h = started), { env: { DEFGUARD_SECRET_KEY: KEY } });

const row = async (recipient: string) =>
  (await h.sql<{ state: string; text: string; html: string; last_error: string | null }[]>`
    SELECT state, text, html, last_error FROM mail_outbox WHERE recipient = ${recipient}`)[0]!;

async function settled(recipient: string) {
  for (let i = 0; i < 400; i++) {
    const r = await row(recipient);
    if (r.state === "sent" || r.state === "failed") return r;
    await Bun.sleep(25);
  }
  throw new Error("the mail was never sent nor given up");
}

describe("mail outbox at rest", () => {
  test("a reset link waits sealed, and goes out as written", async () => {
    const to = "sealed@example.com";
    const content = templates.passwordReset({ instanceName: "Defguard", firstName: "Ida", enrollmentUrl: "https://enroll.example.com", token: TOKEN, validForS: 600 });
    await queueMail(h.sql, to, content, h.config);
    const waiting = await row(to);
    expect(waiting.state).toBe("pending");
    for (const body of [waiting.text, waiting.html]) {
      expect(body.startsWith(SEALED_PREFIX)).toBe(true);
      expect(body).not.toContain(TOKEN);
    }
    h.mailDeps.mailWorker!.wakeUp();
    const mail = await h.smtp.waitFor((m) => m.to.includes(to));
    expect(mail.text).toContain(`https://enroll.example.com/password-reset?token=${TOKEN}`);
    expect(await settled(to)).toMatchObject({ state: "sent", text: "", html: "" });
  });

  test("a body sealed under another key is given up with the reason", async () => {
    const to = "other-key@example.com";
    await enqueueMail(h.sql, { to, subject: "s", text: "t", html: "h", kind: "welcome" }, createSecretBox(`${KEY}-another`));
    h.mailDeps.mailWorker!.wakeUp();
    expect(await settled(to)).toMatchObject({ state: "failed", last_error: SECRET_BOX_MESSAGES.cannotOpen, text: "", html: "" });
    expect(h.smtp.messages.some((m) => m.to.includes(to))).toBe(false);
  });
});
