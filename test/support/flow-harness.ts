// For the tests of the public flows (enrollment, password reset, MFA, polling): a migrated database, a
// real SMTP server with the Core's mail worker sending to it, the flows' handlers built as core/handlers.ts
// builds them, and `call` through the real dispatcher. `restart()` builds new handler instances on the same
// database (a core restart); `link()` connects them to a Proxy over real gRPC.
import { generateKeyPair } from "../../core/wireguard/keys.ts";
import { afterAll, beforeAll } from "bun:test";
import { Secret, TOTP } from "otpauth";
import type postgres from "postgres";
import { loadCoreConfig, type CoreConfig } from "../../core/config.ts";
import { combineHandlers, dispatch, type HandlerMap, type RequestPayloadKind } from "../../core/dispatcher.ts";
import { createClientMfaTokenHandlers, createClientMfaTokens, type ClientMfaTokens } from "../../core/flows/client-mfa-token.ts";
import { clientMfaSessionCheck, createClientMfaHandlers } from "../../core/flows/client-mfa.ts";
import { enrollmentHandlers } from "../../core/flows/enrollment.ts";
import { createMfaSetupHandlers } from "../../core/flows/mfa-setup.ts";
import { createEnrollmentNotices, type MailDeps } from "../../core/flows/notification-mails.ts";
import { createPasswordResetFlow, type PasswordResetFlow } from "../../core/flows/password-reset.ts";
import { createPollingHandlers } from "../../core/flows/polling.ts";
import { buildLinkTarget } from "../../core/link-credentials.ts";
import { allocateHosts } from "../../core/wireguard/address-allocation.ts";
import { codeAt, newCodeSecret, stepAt, TOTP_PERIOD_S } from "../../core/mfa/one-time-codes.ts";
import { createMailWorker, type MailWorker } from "../../core/mail/worker.ts";
import { ProxyLink } from "../../core/proxy-link.ts";
import type { DeviceInfo } from "../../proto/generated/defguard/proxy/DeviceInfo.ts";
import { createLogger, type Logger } from "../../shared/logger.ts";
import type { CoreRequest__Output, CoreResponse } from "../../shared/proto.ts";
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from "./database.ts";
import { startTestProxy, type TestProxy } from "./in-process-proxy.ts";
import { startTestSmtpServer, type TestSmtpServer } from "./smtp.ts";

export const AUTH_SECRET = "flow-tests-secret-of-at-least-32-characters";
export const CORE_URL = "https://defguard.example.com";
export const ENROLLMENT_URL = "https://enroll.example.com";
/** The MfaMethod values the flows take (proto enum, numbers on the wire). */
export const TOTP_METHOD = 0;
export const EMAIL_METHOD = 1;

export interface FlowHarness {
  db: TestDatabase;
  sql: postgres.Sql;
  smtp: TestSmtpServer;
  config: CoreConfig;
  tokens: ClientMfaTokens;
  /** What the flows queue mail with (the worker included), for building more of them in a test. */
  mailDeps: MailDeps;
  /** Every log line of the handlers and the mail worker (info and above). */
  logLines: string[];
  /** The current handler instances; replaced by restart(). */
  handlers: HandlerMap;
  /** The password reset flow of the current instances: `background.settled()` waits for answered requests. */
  resetFlow: PasswordResetFlow;
  call(kind: RequestPayloadKind, body: object, deviceInfo?: DeviceInfo): Promise<CoreResponse>;
  /** New handlers (and a new token signer with the same secret) on the same database, as after a core restart. */
  restart(): void;
  /** A started link from the current handlers to a Proxy's gRPC `target`; resolves once connected. */
  link(target: string): Promise<ProxyLink>;
  /** Stops every link (the core going away, as its Proxy sees it). */
  stopLinks(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh device key as a desktop client makes it: X25519, the raw 32 public bytes in base64. */
export function newDeviceKey(): string {
  return generateKeyPair().publicKey;
}

function buildHandlers(deps: MailDeps, tokens: ClientMfaTokens): { handlers: HandlerMap; resetFlow: PasswordResetFlow } {
  const resetFlow = createPasswordResetFlow(deps);
  const handlers = combineHandlers(
    createClientMfaTokenHandlers(tokens, clientMfaSessionCheck(deps.sql)),
    enrollmentHandlers({ config: deps.config, sql: deps.sql, log: deps.log, notices: createEnrollmentNotices(deps) }),
    resetFlow.handlers,
    createMfaSetupHandlers(deps),
    createClientMfaHandlers({ ...deps, clientMfaTokens: tokens }),
    createPollingHandlers(deps),
  );
  return { handlers, resetFlow };
}

/**
 * `env` adds to the Core's test environment (SMTP to the test server, no encryption); `smtp: false` leaves
 * SMTP unconfigured; `embedded` uses PGlite (one connection) whatever PostgreSQL does.
 */
export interface FlowHarnessOptions {
  env?: Record<string, string>;
  smtp?: boolean;
  embedded?: boolean;
}

export async function createFlowHarness(options: FlowHarnessOptions = {}): Promise<FlowHarness> {
  const db = options.embedded ? await createEmbeddedTestDatabase() : await createTestDatabase();
  const smtp = await startTestSmtpServer();
  const logLines: string[] = [];
  const log: Logger = createLogger({ level: "info", format: "text", target: "test::flows", write: (line) => logLines.push(line) });
  const smtpEnv = options.smtp === false ? {} : { DEFGUARD_SMTP_HOST: "127.0.0.1", DEFGUARD_SMTP_PORT: String(smtp.port), DEFGUARD_SMTP_SENDER: "Defguard <vpn@example.com>", DEFGUARD_SMTP_ENCRYPTION: "none" };
  const config = loadCoreConfig({ DEFGUARD_URL: CORE_URL, DEFGUARD_ENROLLMENT_URL: ENROLLMENT_URL, DEFGUARD_AUTH_SECRET: AUTH_SECRET, ...smtpEnv, ...options.env });
  const worker: MailWorker = createMailWorker({ sql: db.sql, config, log, options: { pollIntervalMs: 60_000, retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 1_000 } } });
  worker.start();
  const deps: MailDeps = { sql: db.sql, config, log, mailWorker: worker };
  const links: ProxyLink[] = [];
  let id = 0;
  const harness: FlowHarness = {
    db,
    sql: db.sql,
    smtp,
    config,
    logLines,
    tokens: createClientMfaTokens(AUTH_SECRET),
    mailDeps: deps,
    ...buildHandlers(deps, createClientMfaTokens(AUTH_SECRET)),
    call(kind, body, deviceInfo) {
      const request = { id: ++id, payload: kind, [kind]: body, device_info: deviceInfo ?? null } as unknown as CoreRequest__Output;
      return dispatch(request, harness.handlers, log);
    },
    restart() {
      harness.tokens = createClientMfaTokens(AUTH_SECRET);
      Object.assign(harness, buildHandlers(deps, harness.tokens));
    },
    async link(target) {
      const url = new URL(`http://${target}`);
      const link = new ProxyLink({ url, link: buildLinkTarget({ url }), handlers: harness.handlers, log });
      links.push(link);
      const connected = new Promise<void>((resolve) => link.once("connected", () => resolve()));
      link.start();
      await connected;
      return link;
    },
    async stopLinks() {
      for (const link of links.splice(0)) await link.stop();
    },
    async close() {
      await harness.stopLinks();
      await harness.resetFlow.background.settled();
      await worker.stop();
      await smtp.stop();
      await db.cleanup();
    },
  };
  return harness;
}

/** The core_error of a response, or undefined when it succeeded. */
export function errorOf(response: CoreResponse): { status_code?: number; message?: string } | undefined {
  return response.core_error ?? undefined;
}

/**
 * A device of `userId` with `pubkey` (a fresh one by default), in each of `networkIds` with its first
 * free addresses there, as enrollment would have left it.
 */
export async function addDevice(sql: postgres.Sql, userId: number, networkIds: number[], pubkey = newDeviceKey()): Promise<{ id: number; pubkey: string }> {
  const [device] = await sql<{ id: number }[]>`
    INSERT INTO devices (user_id, name, pubkey) VALUES (${userId}, ${`device-${pubkey.slice(0, 8)}`}, ${pubkey}) RETURNING id`;
  for (const networkId of networkIds) {
    const [network] = await sql<{ address: string[] }[]>`SELECT address FROM networks WHERE id = ${networkId}`;
    const taken = await sql<{ a: string }[]>`SELECT host(address) AS a FROM network_device_addresses WHERE network_id = ${networkId}`;
    const addresses = allocateHosts(network!.address, taken.map((t) => t.a))!;
    await sql`INSERT INTO network_devices (network_id, device_id) VALUES (${networkId}, ${device!.id})`;
    for (const address of addresses) {
      await sql`INSERT INTO network_device_addresses (network_id, device_id, address) VALUES (${networkId}, ${device!.id}, ${address}::inet)`;
    }
  }
  return { id: device!.id, pubkey };
}

/**
 * Turns TOTP on for `userId` with a fresh secret (and email codes too when `email`), as MFA setup would
 * have left it; returns the TOTP secret.
 */
export async function enableCodeMfa(sql: postgres.Sql, userId: number, options: { email?: boolean } = {}): Promise<string> {
  const secret = newCodeSecret();
  await sql`
    UPDATE users SET mfa_enabled = true, totp_enabled = true, totp_secret = ${secret},
           email_mfa_enabled = ${options.email ?? false}, email_mfa_secret = ${options.email ? newCodeSecret() : null}
    WHERE id = ${userId}`;
  return secret;
}

/** The TOTP code of `secret` now, as an authenticator app shows it (otpauth, the app's defaults). */
export function totpNow(secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate();
}

/** A six-digit code that is surely not `code`. */
export function otherCode(code: string): string {
  return code === "000000" ? "111111" : "000000";
}

/**
 * A TOTP code of `secret` the Core will accept now: of the steps it accepts (now and one either side), the
 * first one after the user's last accepted code (the replay guard); waits for the next step if none is.
 */
export async function unusedTotpCode(sql: postgres.Sql, userId: number, secret: string): Promise<string> {
  for (;;) {
    const [row] = await sql<{ last: number | null }[]>`SELECT totp_last_step AS last FROM users WHERE id = ${userId}`;
    const now = Date.now();
    const current = stepAt(TOTP_PERIOD_S, now);
    for (const delta of [-1, 0, 1]) {
      if (row?.last === null || row?.last === undefined || current + delta > row.last) return codeAt(secret, TOTP_PERIOD_S, now + delta * TOTP_PERIOD_S * 1000);
    }
    await Bun.sleep((current + 1) * TOTP_PERIOD_S * 1000 - now + 50);
  }
}

/**
 * Registers beforeAll/afterAll in the calling file (or describe block): a harness made with `options`
 * before the first test and handed to `use`, closed after the last.
 */
export function useFlowHarness(use: (harness: FlowHarness) => void, options: FlowHarnessOptions = {}): void {
  let harness: FlowHarness | undefined;
  beforeAll(async () => {
    harness = await createFlowHarness(options);
    use(harness);
  });
  afterAll(async () => {
    await harness?.close();
  });
}

/**
 * Like useFlowHarness (same `options`), for the end-to-end flow tests: an in-process Proxy too, with the harness's handlers
 * linked to it over real gRPC before `use` runs (it may add the file's own data); both closed after the last test.
 */
export function useFlowsBehindProxy(use: (started: { h: FlowHarness; proxy: TestProxy }) => void | Promise<void>, options: FlowHarnessOptions = {}): void {
  let harness: FlowHarness | undefined;
  let proxy: TestProxy | undefined;
  beforeAll(async () => {
    harness = await createFlowHarness(options);
    proxy = await startTestProxy();
    await harness.link(proxy.target);
    await use({ h: harness, proxy });
  });
  afterAll(async () => {
    await harness?.close();
    await proxy?.stop();
  });
}
