// Beyond one host (docs/scaling.md): three proxies and two cores as real processes on one PostgreSQL
// database, every core dialling every proxy through DEFGUARD_PROXY_URL. Proxies A and B share the cookie
// key, C has its own. Enrollments spread over A and B; a session moves between proxies; mail queued
// through either core arrives once. Killing a core or a proxy mid-stream: test/multi-failover.test.ts.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { SESSION_MESSAGES } from "../core/flows/enrollment/session.ts";
import { NOT_CONNECTED_MESSAGE } from "../proxy/core-links.ts";
import { Balancer, type Attempt, enrollThroughBalancer, runPool } from "./support/balanced-enrollment.ts";
import type { MultiStack } from "./support/multi-stack.ts";
import { type MultiSiteFixture, useMultiSite, verifyEnrollments } from "./support/multi-site-checks.ts";
import { ProxyClient } from "./support/proxy-client.ts";
import type { TestSmtpServer } from "./support/smtp.ts";

setDefaultTimeout(120_000);

let smtp: TestSmtpServer;
let stack: MultiStack;
let site: MultiSiteFixture;
const { db, onPostgres } = await useMultiSite(
  "multi-site",
  { proxies: [{ name: "A" }, { name: "B" }, { name: "C", cookieKey: "another-cookie-key-of-at-least-32-characters" }], cores: 2 },
  (started) => ({ smtp, stack, site } = started),
);

describe.skipIf(!onPostgres)("two cores, three proxies, one PostgreSQL", () => {
  test("each core dials every proxy of the list and says so; each core's health counts its database and links", async () => {
    for (const core of stack.cores) {
      expect(core.process.matching(`Dialling 3 proxies, each on its own link: ${stack.proxies.map((p) => p.grpcUrl).join(", ")}`)).toHaveLength(1);
      for (const proxy of stack.proxies) expect(core.process.matching(`INFO defguard::grpc: Connected to proxy at ${proxy.grpcUrl}`).length).toBeGreaterThanOrEqual(1);
      expect(await stack.coreHealth(core)).toEqual({ status: 200, body: { status: "ok", database: "up", proxies: { connected: 3, configured: 3 } } });
    }
    for (const proxy of stack.proxies) {
      expect(proxy.process.matching("RPC client connected from: 127.0.0.1:")).toHaveLength(2);
      expect(await stack.proxyHealthGrpc(proxy)).toEqual({ status: 200, body: "alive" });
    }
  });

  test("an admin session made on one core is valid on the other (sessions live in the database)", async () => {
    const login = await fetch(`${stack.cores[0]!.adminUrl}/api/v1/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "pass123" }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
    const me = await fetch(`${stack.cores[1]!.adminUrl}/api/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe("admin");
  });

  test("20 enrollments spread over proxies A and B all succeed: each device once, each address once, each token spent", async () => {
    const users = await site.createUsers("spread", 20);
    const balancer = new Balancer([stack.proxies[0]!.url, stack.proxies[1]!.url]);
    const attempts: Attempt[] = [];
    const results = await runPool(users.length, 4, (i) => enrollThroughBalancer(balancer, attempts, users[i]!));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const done = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof enrollThroughBalancer>>>).value);
    expect(done.every((r) => r.device === "created" && r.activation === "activated")).toBe(true);
    expect(attempts.map((a) => a.outcome)).toEqual(attempts.map(() => 200));
    expect(attempts).toHaveLength(60);
    // Every request went to the next proxy: both took half; both cores answered some.
    expect([...balancer.sent.values()]).toEqual([30, 30]);
    const served = stack.cores.map((c) => c.process.matching(/INFO defguard::enrollment: User spread-\d+ added device laptop/).length);
    expect(served[0]! + served[1]!).toBe(20);
    expect(served.every((n) => n > 0)).toBe(true);
    await verifyEnrollments(db.sql, site.networkId, done);
    process.stderr.write(`multi-site: 20 enrollments, 60 requests (30 per proxy), devices added by core 1/core 2: ${served.join("/")}\n`);
  });

  test("a session started on proxy A finishes on proxy B (same cookie key); proxy C (other key) cannot open it: 401", async () => {
    const [user] = await site.createUsers("moving", 1);
    const onA = new ProxyClient(stack.proxies[0]!.url);
    expect((await onA.post("/api/v1/enrollment/start", { token: user!.token })).status).toBe(200);
    const onB = new ProxyClient(stack.proxies[1]!.url);
    const onC = new ProxyClient(stack.proxies[2]!.url);
    for (const [name, value] of onA.cookies) {
      onB.cookies.set(name, value);
      onC.cookies.set(name, value);
    }
    const refused = await onC.post("/api/v1/enrollment/create_device", { name: "laptop", pubkey: user!.pubkey });
    expect(refused).toMatchObject({ status: 401, body: { error: SESSION_MESSAGES.tokenMissing } });
    const created = await onB.post("/api/v1/enrollment/create_device", { name: "laptop", pubkey: user!.pubkey });
    expect(created.status).toBe(200);
    expect(created.body.device.pubkey).toBe(user!.pubkey);
    expect(await onC.post("/api/v1/enrollment/activate_user", { password: user!.password })).toMatchObject({ status: 401, body: { error: SESSION_MESSAGES.tokenMissing } });
    expect(await onB.post("/api/v1/enrollment/activate_user", { password: user!.password })).toMatchObject({ status: 200, body: null });
    await verifyEnrollments(db.sql, site.networkId, [{ user: user!.username, pubkey: user!.pubkey, assignedIp: created.body.configs[0].assigned_ip }]);
  });

  test("20 invitations queued through the admin APIs of both cores: each arrives exactly once, both cores send", async () => {
    const users = await site.createUsers("invited", 20, { notify: true });
    const emails = users.map((u) => u.email);
    const invitations = await smtp.waitForCount(20, (m) => m.subject.endsWith("Set up your VPN access") && emails.includes(m.to[0]!), 30_000);
    await Bun.sleep(500); // a second copy, if any, would come right behind the first
    const received = smtp.messages.filter((m) => m.subject.endsWith("Set up your VPN access") && emails.includes(m.to[0]!));
    expect(received.map((m) => m.to[0]).sort()).toEqual([...emails].sort());
    expect(invitations).toHaveLength(20);
    for (const user of users) expect(received.find((m) => m.to[0] === user.email)!.text).toContain(user.token);
    const rows = await db.sql<{ state: string; attempts: number }[]>`SELECT state, attempts FROM mail_outbox WHERE recipient = ANY(${emails})`;
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(emails.map(() => ["sent", 1]));
    const sentBy = stack.cores.map((c) => c.process.matching(/INFO defguard::mail: Sent mail .*kind=enrollment_invitation/).length);
    expect(sentBy[0]! + sentBy[1]!).toBe(20);
    expect(sentBy.every((n) => n > 0)).toBe(true);
    const duplicates = received.length - new Set(received.map((m) => m.to[0])).size;
    process.stderr.write(`multi-site: 20 invitations, sent by core 1/core 2: ${sentBy.join("/")}, duplicates: ${duplicates}\n`);
  });

  test("the welcome and new-device mails of every enrolled user arrived exactly once each", async () => {
    const enrolled = await db.sql<{ email: string }[]>`SELECT email FROM users WHERE password_hash IS NOT NULL AND username <> 'admin'`;
    expect(enrolled).toHaveLength(21);
    await site.waitOutboxSettled(enrolled.map((u) => u.email));
    for (const { email } of enrolled) {
      const subjects = smtp.messages.filter((m) => m.to[0] === email).map((m) => m.subject.replace(/^.*?: /, ""));
      expect(subjects.filter((s) => s !== "Set up your VPN access").sort()).toEqual(["A new device was added to your account", "Your account is active"]);
    }
  });

  test("every core stopped: each proxy's health-grpc answers 503, as a load balancer needs to take it out", async () => {
    expect(await Promise.all(stack.cores.map((c) => c.process.stop("SIGTERM")))).toEqual([0, 0]);
    for (const proxy of stack.proxies) {
      expect(await stack.proxyHealthGrpc(proxy)).toEqual({ status: 503, body: NOT_CONNECTED_MESSAGE });
    }
    const res = await fetch(`${stack.proxies[0]!.url}/api/v1/enrollment/start`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "A".repeat(32) }),
    });
    expect(res.status).toBe(503);
  });
});
