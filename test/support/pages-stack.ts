// The whole system behind the pages' browser tests: a fresh database, a real SMTP server, `bun
// proxy/main.ts` (pages included, cookies without Secure since the tests speak plain http) and `bun
// core/main.ts` dialling it with its admin API on a free port; plus an admin API client over HTTP.
import { afterAll, beforeAll } from "bun:test";
import type { Browser } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type TestDatabase, createTestDatabase } from "./database.ts";
import { type ProxyProcess, type ServiceProcess, startCoreProcess, startProxyProcess } from "./services.ts";
import { TestSmtpServer } from "./smtp.ts";

export const ADMIN_PASSWORD = "pass123";

export interface AdminClient {
  /** Calls the admin API as `admin`; answers status and parsed JSON (null when empty). */
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POST /api/v1/auth as `username`; the status (200 on success). */
  login(username: string, password: string): Promise<number>;
}

export interface PagesStack {
  /** `db.sql` is usable only when `db.kind` is "postgres" (the core holds an embedded one). */
  db: TestDatabase;
  smtp: TestSmtpServer;
  proxy: ProxyProcess;
  core: ServiceProcess | undefined;
  /** `http://127.0.0.1:<port>` of the proxy's web server. */
  baseUrl: string;
  /** `http://127.0.0.1:<port>` of the core's admin port (API and admin UI); empty without a core. */
  adminUrl: string;
  admin: AdminClient;
  stop(): Promise<void>;
}

async function adminClient(adminUrl: string): Promise<AdminClient> {
  const auth = (username: string, password: string) =>
    fetch(`${adminUrl}/api/v1/auth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const res = await auth("admin", ADMIN_PASSWORD);
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 200 || !cookie) throw new Error(`admin login failed: ${res.status} ${await res.text()}`);
  return {
    async call(method, path, body) {
      const headers: Record<string, string> = { cookie };
      // Every state change says JSON, body or not: the admin API refuses it otherwise (415).
      if (method !== "GET") headers["content-type"] = "application/json";
      const answer = await fetch(`${adminUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await answer.text();
      return { status: answer.status, body: text ? JSON.parse(text) : null };
    },
    async login(username, password) {
      const answer = await auth(username, password);
      await answer.text();
      return answer.status;
    },
  };
}

function portFrom(line: string): string {
  const url = /(https?:\/\/\S+)/.exec(line)?.[1];
  if (!url) throw new Error(`no URL in ${line}`);
  return url.replace(/\/$/, "");
}

export interface PagesStackOptions {
  /** false leaves the proxy alone (no Core connected). */
  core?: boolean;
  /** Variables added to the Core's environment (e.g. the gateway server's). */
  coreEnv?: Record<string, string>;
}

/** Starts everything. Always `stop()` it. */
export async function startPagesStack(options: PagesStackOptions = {}): Promise<PagesStack> {
  const db = await createTestDatabase();
  // An embedded database serves one process (the core under test); PostgreSQL stays open for the tests' own SQL.
  if (db.kind === "embedded") await db.close();
  const smtp = new TestSmtpServer();
  const started: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(started.map((service) => service.stop()));
    await smtp.stop();
    await db.cleanup();
  };
  try {
    await smtp.start();
    const proxy = await startProxyProcess({ DEFGUARD_PROXY_COOKIE_INSECURE: "true" });
    started.push(proxy);
    const baseUrl = `http://127.0.0.1:${proxy.httpPort}`;
    if (options.core === false) {
      return { db, smtp, proxy, core: undefined, baseUrl, adminUrl: "", admin: undefined as unknown as AdminClient, stop };
    }
    const core = startCoreProcess({
      ...db.env,
      DEFGUARD_PROXY_URL: `http://127.0.0.1:${proxy.grpcPort}`,
      DEFGUARD_ENROLLMENT_URL: baseUrl,
      DEFGUARD_COOKIE_INSECURE: "true",
      DEFGUARD_DEFAULT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DEFGUARD_SMTP_HOST: smtp.host,
      DEFGUARD_SMTP_PORT: String(smtp.port),
      DEFGUARD_SMTP_ENCRYPTION: "none",
      DEFGUARD_SMTP_SENDER: "defguard@example.com",
      ...options.coreEnv,
    });
    started.push(core);
    const adminUrl = portFrom(await core.waitFor("Admin API listening on"));
    await core.waitFor("Connected to proxy at");
    return { db, smtp, proxy, core, baseUrl, adminUrl, admin: await adminClient(adminUrl), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Registers beforeAll/afterAll in the calling file: the whole stack, then headless Chromium, handed to `use`
 * (awaited: it may add the file's own data) before the first test; both closed after the last.
 */
export function usePagesStackAndBrowser(use: (started: { stack: PagesStack; browser: Browser }) => unknown, options: PagesStackOptions = {}): void {
  let stack: PagesStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startPagesStack(options);
    browser = await launchBrowser();
    await use({ stack, browser });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
}

/** A new user `username` and their enrollment link (start_enrollment through the admin API, no mail). */
export async function inviteUser(stack: PagesStack, username: string, firstName: string): Promise<{ token: string; url: string }> {
  const user = await stack.admin.call("POST", "/api/v1/user", { username, first_name: firstName, last_name: "Tester", email: `${username}@example.com` });
  if (user.status !== 201) throw new Error(`creating ${username}: ${user.status} ${JSON.stringify(user.body)}`);
  const started = await stack.admin.call("POST", `/api/v1/user/${username}/start_enrollment`, {});
  if (started.status !== 201) throw new Error(`enrolling ${username}: ${started.status} ${JSON.stringify(started.body)}`);
  return { token: started.body.enrollment_token, url: started.body.enrollment_url };
}

/** Adds a network through the admin API; `name` and `cidr` (gateway address/prefix) vary per test file. */
export async function addNetwork(stack: PagesStack, name: string, cidr: string): Promise<void> {
  const [gateway, bits] = cidr.split("/");
  const base = gateway!.replace(/\.\d+$/, ".0");
  const network = await stack.admin.call("POST", "/api/v1/network", {
    name,
    address: cidr,
    port: 51820,
    endpoint: `${name.toLowerCase()}.example.com`,
    allowed_ips: `${base}/${bits}`,
  });
  if (network.status !== 201) throw new Error(`adding network ${name}: ${network.status} ${JSON.stringify(network.body)}`);
}
