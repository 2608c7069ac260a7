// Password reset end to end: the Proxy's HTTP routes, real gRPC to the Core's flows, PostgreSQL, and a real
// SMTP server; from the mail's link to a login to the admin API with the new password.
import { describe, expect, test } from "bun:test";
import { REQUEST_MESSAGES, RESET_MESSAGES } from "../core/flows/password-reset.ts";
import { addUser } from "../core/flows/enrollment/test-fixtures.ts";
import { hashPassword } from "../core/users/passwords.ts";
import { createAdminTestContext, type AdminTestContext } from "./support/admin-api.ts";
import { type FlowHarness, useFlowsBehindProxy } from "./support/flow-harness.ts";
import type { TestProxy } from "./support/in-process-proxy.ts";
import { ProxyClient } from "./support/proxy-client.ts";

const OLD_PASSWORD = "0ld-Password!";
const NEW_PASSWORD = "Brand-n3w-Password!";
const RESET_COOKIE = "defguard_proxy_password_reset";

let h: FlowHarness;
let proxy: TestProxy;
let admin: AdminTestContext;

useFlowsBehindProxy(async (started) => {
  ({ h, proxy } = started);
  admin = await createAdminTestContext({}, h.db);
});

async function userWithPassword() {
  const user = await addUser(h.sql, { password_hash: await hashPassword(OLD_PASSWORD), first_name: "Ruth" });
  return { ...user, email: `${user.username}@example.com` };
}

/** The link of the newest reset mail to `email`, as the user clicks it: path and token. */
async function resetLink(email: string, count = 1): Promise<URL> {
  const mails = await h.smtp.waitForCount(count, (m) => m.to.includes(email) && m.subject === "Defguard: Reset your password");
  return new URL(mails[count - 1]!.text.match(/https:\/\/enroll\.example\.com\/password-reset\?token=[A-Za-z0-9]{32}/)![0]);
}

describe("password reset over the Proxy", () => {
  test("from the mail's link to an admin-API login with the new password; old sessions and password stop working", async () => {
    const user = await userWithPassword();
    const oldSession = await admin.login(user.username, OLD_PASSWORD);
    const browser = new ProxyClient(proxy.url);

    const requested = await browser.post("/api/v1/password-reset/request", { email: user.email });
    expect(requested).toMatchObject({ status: 200, body: null });
    const link = await resetLink(user.email);
    expect(link.pathname).toBe("/password-reset");

    const started = await browser.post("/api/v1/password-reset/start", { token: link.searchParams.get("token") });
    expect(started.status).toBe(200);
    expect(Object.keys(started.body)).toEqual(["deadline_timestamp"]);
    expect(started.body.deadline_timestamp).toBeGreaterThan(Date.now() / 1000 + 590);
    expect(browser.cookies.has(RESET_COOKIE)).toBe(true);

    const weak = await browser.post("/api/v1/password-reset/reset", { password: "weakpass" });
    expect(weak).toMatchObject({ status: 400, body: { error: "password must contain an uppercase letter (A-Z)" } });
    const reset = await browser.post("/api/v1/password-reset/reset", { password: NEW_PASSWORD });
    expect(reset).toMatchObject({ status: 200, body: null });
    expect(browser.cookies.has(RESET_COOKIE)).toBe(false);

    expect(await admin.login(user.username, NEW_PASSWORD)).toStartWith("defguard_session=");
    const oldLogin = await admin.call("POST", "/api/v1/auth", { body: { username: user.username, password: OLD_PASSWORD } });
    expect(oldLogin).toMatchObject({ status: 401, body: { error: "invalid username or password" } });
    expect((await admin.call("GET", "/api/v1/me", { cookie: oldSession })).status).toBe(401);

    const notice = await h.smtp.waitFor((m) => m.to.includes(user.email) && m.subject === "Defguard: Your password was changed");
    expect(notice.text).toContain("from 127.0.0.1");

    const again = await new ProxyClient(proxy.url).post("/api/v1/password-reset/start", { token: link.searchParams.get("token") });
    expect(again).toMatchObject({ status: 401, body: { error: RESET_MESSAGES.tokenUsed } });
  });

  test("unknown addresses get the same empty 200; bad tokens and a missing cookie are 401 with their reason", async () => {
    const browser = new ProxyClient(proxy.url);
    expect(await browser.post("/api/v1/password-reset/request", { email: "stranger@example.com" })).toMatchObject({ status: 200, body: null });
    expect(await browser.post("/api/v1/password-reset/request", { email: "not an address" })).toMatchObject({
      status: 400,
      body: { error: "expected an email address such as alice@example.com" },
    });
    expect(await browser.post("/api/v1/password-reset/start", { token: "Z".repeat(32) })).toMatchObject({ status: 401, body: { error: RESET_MESSAGES.tokenInvalid } });
    expect(await browser.post("/api/v1/password-reset/reset", { password: NEW_PASSWORD })).toMatchObject({ status: 401, body: { error: RESET_MESSAGES.tokenMissing } });
    await h.resetFlow.background.settled();
  });

  test("SMTP down while reset mails are queued, then up: each arrives exactly once", async () => {
    const users = [await userWithPassword(), await userWithPassword(), await userWithPassword()];
    await h.smtp.stop();
    const browser = new ProxyClient(proxy.url);
    for (const user of users) expect((await browser.post("/api/v1/password-reset/request", { email: user.email })).status).toBe(200);
    await h.resetFlow.background.settled();
    const states = async () =>
      (await h.sql<{ state: string }[]>`
        SELECT state FROM mail_outbox WHERE kind = 'password_reset' AND recipient IN ${h.sql(users.map((u) => u.email))}`).map((r) => r.state);
    expect(await states()).toHaveLength(3);
    expect((await states()).includes("sent")).toBe(false);
    await h.smtp.start();
    for (const user of users) await resetLink(user.email);
    // Once every row is recorded sent, no attempt is left that could deliver a second copy.
    for (let i = 0; i < 500 && (await states()).some((state) => state !== "sent"); i++) await Bun.sleep(20);
    expect(await states()).toEqual(["sent", "sent", "sent"]);
    for (const user of users) expect(h.smtp.messages.filter((m) => m.to.includes(user.email)).length).toBe(1);
  });
});

describe("password reset over the Proxy with mail not configured", () => {
  let bare: FlowHarness;
  let bareProxy: TestProxy;
  useFlowsBehindProxy(
    (started) => {
      ({ h: bare, proxy: bareProxy } = started);
    },
    { smtp: false },
  );

  test("a known and an unknown address get the same 200 with an empty body (as from Defguard's Core); the Core logs why at WARN", async () => {
    const user = await addUser(bare.sql, { password_hash: await hashPassword(OLD_PASSWORD) });
    const answers = [];
    for (const email of [`${user.username}@example.com`, "stranger@example.com"]) {
      const before = bare.logLines.length;
      const res = await fetch(`${bareProxy.url}/api/v1/password-reset/request`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email }),
      });
      answers.push([res.status, await res.text(), res.headers.get("content-type"), res.headers.get("content-length")]);
      expect(bare.logLines.slice(before).filter((l) => l.includes(" WARN "))).toEqual([expect.stringContaining(REQUEST_MESSAGES.mailUnavailable)]);
    }
    expect(answers).toEqual([
      [200, "", null, "0"],
      [200, "", null, "0"],
    ]);
    await bare.resetFlow.background.settled();
    expect(await bare.sql`SELECT 1 FROM tokens WHERE kind = 'PASSWORD_RESET'`).toHaveLength(0);
  });
});
