// What the scaling tests set up (the processes, then through the cores' admin APIs a network, users with
// enrollment tokens) and what they check afterwards in the shared database: each enrollment done once, nothing twice.
import { afterAll, beforeAll, expect } from "bun:test";
import type postgres from "postgres";
import { newDeviceKey } from "../../core/flows/enrollment/test-fixtures.ts";
import type { EnrollmentResult } from "./balanced-enrollment.ts";
import { type TestDatabase, createTestDatabase } from "./database.ts";
import { MultiStack, type MultiStackOptions, adminCall, adminLogin } from "./multi-stack.ts";
import { startTestSmtpServer, type TestSmtpServer } from "./smtp.ts";

export const USER_PASSWORD = "Scal3d-out!pass";
const SETTLE_POLL_MS = 100;
const SETTLE_TIMEOUT_MS = 30_000;

export interface InvitedUser {
  username: string;
  email: string;
  token: string;
  pubkey: string;
  password: string;
}

export class MultiSiteFixture {
  private constructor(
    private readonly stack: MultiStack,
    private readonly cookie: string,
    readonly networkId: number,
  ) {}

  /** Logs in on the first core and adds one network through it (a /22: room for every test's devices). */
  static async create(stack: MultiStack): Promise<MultiSiteFixture> {
    const cookie = await adminLogin(stack.cores[0]!.adminUrl);
    const network = await adminCall(stack.cores[0]!.adminUrl, cookie, "POST", "/api/v1/network", {
      name: "office",
      address: "10.80.0.1/22",
      port: 51820,
      endpoint: "vpn.example.com",
      allowed_ips: "10.80.0.0/22",
      dns: "10.80.0.1",
    });
    if (network.status !== 201) throw new Error(`network: ${network.status} ${JSON.stringify(network.body)}`);
    return new MultiSiteFixture(stack, cookie, network.body.id);
  }

  /** The admin API of the i-th running core (round-robin), so that both cores do admin work. */
  private adminUrl(i: number): string {
    const running = this.stack.cores.filter((c) => c.process.running);
    return running[i % running.length]!.adminUrl;
  }

  /** `prefix-1`..`prefix-n`, each with an enrollment token from alternate cores; `notify` mails the invitation. */
  async createUsers(prefix: string, count: number, options: { notify?: boolean } = {}): Promise<InvitedUser[]> {
    const users: InvitedUser[] = [];
    for (let i = 0; i < count; i++) {
      const username = `${prefix}-${i + 1}`;
      const email = `${username}@example.com`;
      const url = this.adminUrl(i);
      const created = await adminCall(url, this.cookie, "POST", "/api/v1/user", { username, first_name: "Sam", last_name: "Scale", email });
      if (created.status !== 201) throw new Error(`user ${username}: ${created.status} ${JSON.stringify(created.body)}`);
      const started = await adminCall(url, this.cookie, "POST", `/api/v1/user/${username}/start_enrollment`, { send_enrollment_notification: options.notify ?? false });
      if (started.status !== 201) throw new Error(`start_enrollment ${username}: ${started.status} ${JSON.stringify(started.body)}`);
      users.push({ username, email, token: started.body.enrollment_token, pubkey: newDeviceKey(), password: USER_PASSWORD });
    }
    return users;
  }

  /**
   * Waits until no mail to `emails` is pending or being sent, except those claimed by a worker in
   * `deadWorkerPids` (a killed core: its lease keeps them until it runs out). Returns those left behind.
   */
  async waitOutboxSettled(emails: string[], deadWorkerPids: number[] = []): Promise<{ id: number; recipient: string; subject: string }[]> {
    const sql = this.stack.db.sql;
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const open = await sql<{ id: number; recipient: string; subject: string; claimed_by: string | null }[]>`
        SELECT id, recipient, subject, claimed_by FROM mail_outbox WHERE recipient = ANY(${emails}) AND state IN ('pending', 'sending')`;
      const heldByDead = open.filter((m) => deadWorkerPids.some((pid) => m.claimed_by?.includes(`:${pid}:`)));
      if (heldByDead.length === open.length) return heldByDead.map(({ id, recipient, subject }) => ({ id, recipient, subject }));
      if (Date.now() > deadline) throw new Error(`mail still waiting: ${JSON.stringify(open)}`);
      await Bun.sleep(SETTLE_POLL_MS);
    }
  }
}

/**
 * For each result: the user has a password, exactly one device (the client's key), one address in the
 * network (the one the client was told), one polling token, and its one token is spent. The network's
 * addresses are all different (its primary key) and belong to these devices only once each.
 */
export async function verifyEnrollments(sql: postgres.Sql, networkId: number, results: Pick<EnrollmentResult, "user" | "pubkey" | "assignedIp">[]): Promise<void> {
  const usernames = results.map((r) => r.user);
  const rows = await sql<{ username: string; has_password: boolean; devices: string[]; addresses: string[]; polling: number; spent: number; unspent: number }[]>`
    SELECT u.username, u.password_hash IS NOT NULL AS has_password,
           ARRAY(SELECT d.pubkey FROM devices d WHERE d.user_id = u.id) AS devices,
           ARRAY(SELECT host(a.address) FROM network_device_addresses a JOIN devices d ON d.id = a.device_id
                 WHERE d.user_id = u.id AND a.network_id = ${networkId}) AS addresses,
           (SELECT count(*) FROM polling_tokens p JOIN devices d ON d.id = p.device_id WHERE d.user_id = u.id)::int AS polling,
           (SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND t.used_at IS NOT NULL)::int AS spent,
           (SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND t.used_at IS NULL)::int AS unspent
    FROM users u WHERE u.username = ANY(${usernames}) ORDER BY u.username`;
  const expected = [...results]
    .sort((a, b) => (a.user < b.user ? -1 : 1))
    .map((r) => ({ username: r.user, has_password: true, devices: [r.pubkey], addresses: [r.assignedIp], polling: 1, spent: 1, unspent: 0 }));
  expect(rows.map((r) => ({ ...r }))).toEqual(expected);
  const [network] = await sql<{ rows: number; distinct_addresses: number; distinct_devices: number }[]>`
    SELECT count(*)::int AS rows, count(DISTINCT address)::int AS distinct_addresses, count(DISTINCT device_id)::int AS distinct_devices
    FROM network_device_addresses WHERE network_id = ${networkId}`;
  expect(network!.distinct_addresses).toBe(network!.rows);
  expect(network!.distinct_devices).toBe(network!.rows);
}

/**
 * The scaling tests' setup, for the calling file: a test database now (so `describe.skipIf(!onPostgres)`
 * can use it; `name` says what is skipped without PostgreSQL); then beforeAll/afterAll: on PostgreSQL an
 * SMTP server, the processes of `options` with every core linked to every proxy, and the fixture, handed
 * to `use` before the first test; all stopped and the database dropped after the last.
 */
export async function useMultiSite(
  name: string,
  options: Omit<MultiStackOptions, "smtp">,
  use: (started: { smtp: TestSmtpServer; stack: MultiStack; site: MultiSiteFixture }) => void,
): Promise<{ db: TestDatabase; onPostgres: boolean }> {
  const db = await createTestDatabase();
  const onPostgres = db.kind === "postgres";
  if (!onPostgres) process.stderr.write(`${name}: skipped, several cores need PostgreSQL on 127.0.0.1:5432\n`);
  let smtp: TestSmtpServer | undefined;
  let stack: MultiStack | undefined;
  beforeAll(async () => {
    if (!onPostgres) return;
    smtp = await startTestSmtpServer();
    stack = await MultiStack.start(db, { ...options, smtp });
    await stack.waitLinked(options.proxies.length);
    use({ smtp, stack, site: await MultiSiteFixture.create(stack) });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.stop();
    await db.cleanup();
  });
  return { db, onPostgres };
}
