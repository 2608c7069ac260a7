// The system under chaos: real `bun proxy/main.ts` and `bun core/main.ts` processes on fixed loopback
// ports (so a restarted proxy is found again by the core), a fresh database, and the probes the report
// needs: resident memory and open descriptors from /proc, log lines with timestamps.
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { type TestDatabase, createTestDatabase } from "../../test/support/database.ts";
import { type ServiceProcess, spawnService } from "../../test/support/services.ts";

/** A short Core timeout: a request the Core does not answer becomes 504 after this. */
export const CORE_TIMEOUT_MS = 2_000;
const START_TIMEOUT_MS = 30_000;

export interface Ports {
  grpc: number;
  http: number;
  metrics: number;
  admin: number;
}

export interface ProcessSample {
  rssKiB: number;
  fds: number;
}

/** VmRSS and the number of entries in /proc/<pid>/fd; zeros when the process is gone. */
export function sample(pid: number): ProcessSample {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { rssKiB, fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rssKiB: 0, fds: 0 };
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class Stack {
  proxy: ServiceProcess | undefined;
  core: ServiceProcess | undefined;
  /** How many times each was started. */
  starts = { proxy: 0, core: 0 };

  private constructor(
    readonly ports: Ports,
    readonly db: TestDatabase,
  ) {}

  static async create(): Promise<Stack> {
    const db = await createTestDatabase();
    if (db.kind === "embedded") await db.close(); // the core process opens it alone
    const ports = { grpc: await freePort(), http: await freePort(), metrics: await freePort(), admin: await freePort() };
    return new Stack(ports, db);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  get adminUrl(): string {
    return `http://127.0.0.1:${this.ports.admin}`;
  }

  /** Starts the proxy and waits until both of its servers listen. */
  async startProxy(): Promise<ServiceProcess> {
    this.starts.proxy++;
    const proxy = spawnService("proxy", "proxy/main.ts", {
      DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_PROXY_GRPC_PORT: String(this.ports.grpc),
      DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_PROXY_HTTP_PORT: String(this.ports.http),
      DEFGUARD_PROXY_METRICS_PORT: String(this.ports.metrics),
      DEFGUARD_PROXY_CORE_TIMEOUT_MS: String(CORE_TIMEOUT_MS),
      DEFGUARD_PROXY_COOKIE_KEY: "chaos-cookie-key-of-at-least-32-characters",
      DEFGUARD_PROXY_COOKIE_INSECURE: "true",
      // The load sends one polling token many times a second.
      DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0",
    });
    this.proxy = proxy;
    await proxy.waitFor("Web server is listening on", { timeoutMs: START_TIMEOUT_MS });
    return proxy;
  }

  /** Starts the core; resolves once its admin API listens (the link comes up on its own). */
  async startCore(): Promise<ServiceProcess> {
    this.starts.core++;
    const core = spawnService("core", "core/main.ts", {
      ...this.db.env,
      DEFGUARD_PROXY_URL: `http://127.0.0.1:${this.ports.grpc}`,
      DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
      DEFGUARD_HTTP_PORT: String(this.ports.admin),
      DEFGUARD_ENROLLMENT_URL: this.baseUrl,
      DEFGUARD_AUTH_SECRET: "chaos-auth-secret-of-at-least-32-characters",
      DEFGUARD_COOKIE_INSECURE: "true",
    });
    this.core = core;
    await core.waitFor("Admin API listening on", { timeoutMs: START_TIMEOUT_MS });
    return core;
  }

  /** Waits until the core's log shows it connected to the proxy at or after line `from`. */
  async coreConnected(from = 0, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    await this.core!.waitFor("Connected to proxy at", { from, timeoutMs });
  }

  async stopProxy(): Promise<void> {
    await this.proxy?.stop();
    this.proxy = undefined;
  }

  async stopCore(): Promise<void> {
    await this.core?.stop();
    this.core = undefined;
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.stopProxy(), this.stopCore()]);
    await this.db.cleanup();
  }
}
