// Beyond one host, when a machine dies (docs/scaling.md): two proxies and two cores as real processes on one
// PostgreSQL; in the middle of a stream of enrollments spread over both proxies, one core or one proxy is
// killed (SIGKILL). Every request is answered (200, 503, 504; no answer only from the killed proxy); a
// retry after a lost answer may find its step already done (400 device taken, then network_info; 401
// token spent) and says so; every enrollment finishes; nothing is in the database twice; no mail twice.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { DEVICE_MESSAGES } from "../core/flows/enrollment/device-input.ts";
import { SESSION_MESSAGES } from "../core/flows/enrollment/session.ts";
import { Balancer, type Attempt, type EnrollmentResult, enrollThroughBalancer, runPool } from "./support/balanced-enrollment.ts";
import { type MultiSiteFixture, useMultiSite, verifyEnrollments } from "./support/multi-site-checks.ts";
import type { MultiStack } from "./support/multi-stack.ts";
import type { TestSmtpServer } from "./support/smtp.ts";

setDefaultTimeout(180_000);

const ENROLLMENTS = 16;
const CONCURRENCY = 4;
/** The kill comes once this many enrollments have finished: the rest are in flight or still to come. */
const KILL_AFTER = 4;

let smtp: TestSmtpServer;
let stack: MultiStack;
let site: MultiSiteFixture;
const { db, onPostgres } = await useMultiSite("multi-failover", { proxies: [{ name: "A" }, { name: "B" }], cores: 2 }, (started) => ({ smtp, stack, site } = started));

type Target = { kind: "core" | "proxy"; index: number; label: string };

/** Whether an attempt's outcome is one the rules allow, given what was killed. */
function allowed(attempt: Attempt, target: Target, killedProxyUrl: string | undefined): boolean {
  if (attempt.outcome === 200 || attempt.outcome === 503 || attempt.outcome === 504) return true;
  if (attempt.outcome === "no answer") return target.kind === "proxy" && attempt.proxy === killedProxyUrl;
  if (!attempt.afterLostAnswer) return false;
  if (attempt.step === "create_device") return attempt.outcome === 400 && [DEVICE_MESSAGES.pubkeyTaken, DEVICE_MESSAGES.nameTaken].includes(attempt.error as never);
  if (attempt.step === "activate_user") return attempt.outcome === 401 && attempt.error === SESSION_MESSAGES.tokenUsed;
  return false;
}

function tally(attempts: Attempt[]): string {
  const counts = new Map<string, number>();
  for (const a of attempts) {
    const key = typeof a.outcome === "number" && a.outcome >= 400 && a.outcome < 500 ? `${a.outcome} (${a.step} after a lost answer)` : String(a.outcome);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}: ${n}`).join(", ");
}

/** Mails to `emails`: none received twice; what a dead core's lease still holds is reported, not waited for. */
async function checkMails(emails: string[], deadPids: number[]): Promise<{ held: number; heldButDelivered: number; missingNotices: number }> {
  const held = await site.waitOutboxSettled(emails, deadPids);
  const received = smtp.messages.filter((m) => emails.includes(m.to[0]!)).map((m) => `${m.to[0]} ${m.subject}`);
  expect(received.length).toBe(new Set(received).size);
  const sent = await db.sql<{ recipient: string; subject: string }[]>`SELECT recipient, subject FROM mail_outbox WHERE recipient = ANY(${emails}) AND state = 'sent'`;
  for (const row of sent) expect(received.filter((r) => r === `${row.recipient} ${row.subject}`)).toHaveLength(1);
  // Sent by the core before it died but not recorded: another core sends it again when the lease runs out.
  const heldButDelivered = held.filter((m) => received.includes(`${m.recipient} ${m.subject}`)).length;
  const expectedNotices = emails.length * 2; // welcome and new device, one each
  return { held: held.length, heldButDelivered, missingNotices: expectedNotices - sent.length - held.length };
}

async function runScenario(target: Target): Promise<void> {
  const prefix = `${target.kind}${target.index + 1}-killed`;
  const users = await site.createUsers(prefix, ENROLLMENTS);
  const balancer = new Balancer(stack.proxies.map((p) => p.url));
  const killedProxyUrl = target.kind === "proxy" ? stack.proxies[target.index]!.url : undefined;
  const deadPid = target.kind === "core" ? stack.cores[target.index]!.process.process.pid : undefined;
  const attempts: Attempt[] = [];
  let finished = 0;
  let kill: Promise<void> | undefined;
  const results = await runPool(users.length, CONCURRENCY, async (i) => {
    const result = await enrollThroughBalancer(balancer, attempts, users[i]!);
    if (++finished === KILL_AFTER) kill = target.kind === "core" ? stack.killCore(target.index) : stack.killProxy(target.index);
    return result;
  });
  await kill;

  const failures = results.flatMap((r, i) => (r.status === "rejected" ? [`${users[i]!.username}: ${String(r.reason)}`] : []));
  expect(failures).toEqual([]);
  const done = results.map((r) => (r as PromiseFulfilledResult<EnrollmentResult>).value);
  expect(attempts.filter((a) => !allowed(a, target, killedProxyUrl))).toEqual([]);
  await verifyEnrollments(db.sql, site.networkId, done);
  const mails = await checkMails(users.map((u) => u.email), deadPid === undefined ? [] : [deadPid]);
  // The notices are queued in their step's own transaction: a step that committed has its mail, whenever the core died.
  expect(mails.missingNotices).toBe(0);

  const found = done.filter((r) => r.device !== "created").length + done.filter((r) => r.activation !== "activated").length;
  process.stderr.write(
    `multi-failover: ${target.label}: ${ENROLLMENTS} enrollments all done, ${attempts.length} requests (${tally(attempts)}); ` +
      `steps found done by a retry: ${found}; mails held by the dead core's lease: ${mails.held} (already delivered: ${mails.heldButDelivered}); notices never queued: ${mails.missingNotices}\n`,
  );

  if (target.kind === "core") await stack.restartCore(target.index);
  else await stack.restartProxy(target.index);
  await stack.waitLinked(2);
}

describe.skipIf(!onPostgres)("killing one of two cores or proxies mid-stream", () => {
  const targets: Target[] = [
    { kind: "core", index: 0, label: "core 1 killed" },
    { kind: "core", index: 1, label: "core 2 killed" },
    { kind: "proxy", index: 0, label: "proxy A killed" },
    { kind: "proxy", index: 1, label: "proxy B killed" },
  ];
  for (const target of targets) {
    test(`${target.label} mid-stream: every request answered, every enrollment done once, no row or mail twice`, async () => {
      await runScenario(target);
    });
  }

  test("after all that: each address of the network given once, and every core and proxy linked again", async () => {
    const [row] = await db.sql<{ devices: number; addresses: number }[]>`
      SELECT (SELECT count(*) FROM devices)::int AS devices,
             (SELECT count(DISTINCT address) FROM network_device_addresses WHERE network_id = ${site.networkId})::int AS addresses`;
    expect(row).toEqual({ devices: 4 * ENROLLMENTS, addresses: 4 * ENROLLMENTS });
    for (const core of stack.cores) expect((await stack.coreHealth(core)).body).toEqual({ status: "ok", database: "up", proxies: { connected: 2, configured: 2 } });
    for (const proxy of stack.proxies) expect((await stack.proxyHealthGrpc(proxy)).status).toBe(200);
  });
});
