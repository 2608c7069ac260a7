// Several proxies and several cores as real processes on one PostgreSQL database (docs/scaling.md): every
// core dials every proxy through one comma-separated DEFGUARD_PROXY_URL. Processes can be killed and
// started again on the same ports, as an operator's restart would.
//
//   const stack = await MultiStack.start(db, { proxies: [{ name: "A" }, { name: "B" }], cores: 2 });
//   await stack.waitLinked();        // every core connected to every proxy
//   ...; await stack.stop();
import type { TestDatabase } from "./database.ts";
import { type ChildEnv, type ProxyProcess, type ServiceProcess, WAIT_MS, spawnService, startProxyProcess } from "./services.ts";
import type { TestSmtpServer } from "./smtp.ts";

export const SHARED_COOKIE_KEY = "multi-site-cookie-key-of-at-least-32-characters";
export const SHARED_AUTH_SECRET = "multi-site-auth-secret-of-at-least-32-characters";
const LINK_POLL_MS = 100;

export interface StackProxySpec {
  name: string;
  /** DEFGUARD_PROXY_COOKIE_KEY; SHARED_COOKIE_KEY when absent. */
  cookieKey?: string;
  env?: ChildEnv;
}

export interface StackProxy {
  name: string;
  env: ChildEnv;
  process: ProxyProcess;
  /** `http://127.0.0.1:<http port>`: the public API. */
  url: string;
  /** `http://127.0.0.1:<grpc port>`: what the cores dial. */
  grpcUrl: string;
}

export interface StackCore {
  name: string;
  process: ServiceProcess;
  /** `http://127.0.0.1:<admin port>`; a new port after each restart. */
  adminUrl: string;
}

export interface CoreHealthAnswer {
  status: number;
  body: { status: string; database: string; proxies: { connected: number; configured: number } };
}

export interface MultiStackOptions {
  proxies: StackProxySpec[];
  cores: number;
  smtp?: TestSmtpServer;
  coreEnv?: ChildEnv;
}

function portFrom(line: string): number {
  const port = Number(/:(\d+)\s*$/.exec(line)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${line}`);
  return port;
}

async function launchProxy(spec: StackProxySpec, ports?: { grpc: number; http: number }): Promise<StackProxy> {
  const env: ChildEnv = {
    DEFGUARD_PROXY_COOKIE_KEY: spec.cookieKey ?? SHARED_COOKIE_KEY,
    // The tests resend one token after every lost answer; the per-secret guessing limit is not under test.
    DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0",
    ...spec.env,
    ...(ports ? { DEFGUARD_PROXY_GRPC_PORT: String(ports.grpc), DEFGUARD_PROXY_HTTP_PORT: String(ports.http) } : {}),
  };
  const process = await startProxyProcess(env);
  return { name: spec.name, env, process, url: `http://127.0.0.1:${process.httpPort}`, grpcUrl: `http://127.0.0.1:${process.grpcPort}` };
}

export class MultiStack {
  readonly proxies: StackProxy[] = [];
  readonly cores: StackCore[] = [];
  /** Every process ever started here, so that stop() ends the killed-and-restarted ones too. */
  private readonly started: ServiceProcess[] = [];

  private constructor(
    readonly db: TestDatabase,
    private readonly options: MultiStackOptions,
  ) {}

  /** Starts the proxies, then the cores (each dialling all proxies); resolves once every admin API listens. */
  static async start(db: TestDatabase, options: MultiStackOptions): Promise<MultiStack> {
    const stack = new MultiStack(db, options);
    try {
      for (const spec of options.proxies) {
        const proxy = await launchProxy(spec);
        stack.track(proxy.process);
        stack.proxies.push(proxy);
      }
      for (let i = 0; i < options.cores; i++) stack.cores.push(await stack.launchCore(`core ${i + 1}`));
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  /** DEFGUARD_PROXY_URL of every core: all proxies, comma-separated. */
  get proxyUrlList(): string {
    return this.proxies.map((p) => p.grpcUrl).join(",");
  }

  coreEnv(): ChildEnv {
    const smtp = this.options.smtp;
    return {
      ...this.db.env,
      DEFGUARD_PROXY_URL: this.proxyUrlList,
      DEFGUARD_AUTH_SECRET: SHARED_AUTH_SECRET,
      DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_HTTP_PORT: "0",
      DEFGUARD_ENROLLMENT_URL: this.proxies[0]?.url,
      ...(smtp
        ? { DEFGUARD_SMTP_HOST: smtp.host, DEFGUARD_SMTP_PORT: String(smtp.port), DEFGUARD_SMTP_SENDER: "Defguard <vpn@example.com>", DEFGUARD_SMTP_ENCRYPTION: "none" }
        : {}),
      ...this.options.coreEnv,
    };
  }

  private track(process: ServiceProcess): void {
    this.started.push(process);
  }

  private async launchCore(name: string): Promise<StackCore> {
    const process = spawnService(name, "core/main.ts", this.coreEnv());
    this.track(process);
    const adminUrl = `http://127.0.0.1:${portFrom(await process.waitFor("Admin API listening on"))}`;
    return { name, process, adminUrl };
  }

  /** SIGKILL: no drain, no goodbye; what a crash or a pulled plug looks like to the others. */
  async killCore(index: number): Promise<void> {
    await this.cores[index]!.process.stop("SIGKILL");
  }

  async restartCore(index: number): Promise<void> {
    const old = this.cores[index]!;
    await old.process.stop("SIGKILL");
    this.cores[index] = await this.launchCore(old.name);
  }

  async killProxy(index: number): Promise<void> {
    await this.proxies[index]!.process.stop("SIGKILL");
  }

  /** Starts the proxy again on its own ports, so the cores' URLs and the balancer's list stay valid. */
  async restartProxy(index: number): Promise<void> {
    const old = this.proxies[index]!;
    await old.process.stop("SIGKILL");
    const spec = this.options.proxies[index]!;
    const proxy = await launchProxy(spec, { grpc: old.process.grpcPort, http: old.process.httpPort });
    this.track(proxy.process);
    this.proxies[index] = proxy;
  }

  async coreHealth(core: StackCore): Promise<CoreHealthAnswer> {
    const res = await fetch(`${core.adminUrl}/api/v1/health`);
    return { status: res.status, body: (await res.json()) as CoreHealthAnswer["body"] };
  }

  async proxyHealthGrpc(proxy: StackProxy): Promise<{ status: number; body: string }> {
    const res = await fetch(`${proxy.url}/api/v1/health-grpc`);
    return { status: res.status, body: await res.text() };
  }

  /** Waits until every running core's health counts `expected` connected links (all proxies by default). */
  async waitLinked(expected = this.proxies.length, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const running = () => this.cores.filter((c) => c.process.running);
    for (;;) {
      const counts = await Promise.all(running().map(async (c) => (await this.coreHealth(c)).body.proxies.connected));
      if (counts.every((n) => n === expected)) return;
      if (Date.now() > deadline) throw new Error(`cores linked to ${counts.join(", ")} proxies, expected ${expected}`);
      await Bun.sleep(LINK_POLL_MS);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.started.map((p) => p.stop("SIGKILL")));
  }
}

export interface AdminHttpAnswer {
  status: number;
  body: any;
}

/** Logs in to a core's admin API over HTTP as `admin`; the session cookie is valid on every core (one database). */
export async function adminLogin(adminUrl: string, password = "pass123"): Promise<string> {
  const login = await fetch(`${adminUrl}/api/v1/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  const cookie = login.headers.getSetCookie()[0]?.split(";")[0];
  if (login.status !== 200 || !cookie) throw new Error(`admin login at ${adminUrl} failed: ${login.status} ${await login.text()}`);
  return cookie;
}

/** One admin API call with the session `cookie`; JSON in and out. */
export async function adminCall(adminUrl: string, cookie: string, method: string, path: string, body?: unknown): Promise<AdminHttpAnswer> {
  const res = await fetch(`${adminUrl}${path}`, {
    method,
    // Every state change says JSON, body or not: the admin API refuses it otherwise (415).
    headers: { cookie, ...(method === "GET" ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
