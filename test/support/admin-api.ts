// An admin API on a fresh test database, with `admin`/`pass123` bootstrapped, for tests that need to
// call it in-process (`ctx.call`) or log in as someone.
//
//   const ctx = await createAdminTestContext();
//   const res = await ctx.call("POST", "/api/v1/user", { cookie: ctx.adminCookie, body: {...} });
//   expect(res.status).toBe(201);
//   await ctx.cleanup();
import type { CoreConfig } from "../../core/config.ts";
import { createAdminApp, type AdminAppDeps } from "../../core/admin-api/app.ts";
import { SESSION_COOKIE } from "../../core/admin-api/session-guard.ts";
import { bootstrapAdmin } from "../../core/users/bootstrap-admin.ts";
import { createLogger, type Logger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";

export const TEST_ADMIN_CONFIG: Pick<CoreConfig, "cookieInsecure" | "enrollmentUrl" | "timeouts" | "defaultAdminPassword"> = {
  cookieInsecure: false,
  enrollmentUrl: "http://localhost:8080",
  defaultAdminPassword: "pass123",
  timeouts: { enrollmentSessionS: 600, enrollmentTokenS: 86_400, passwordResetSessionS: 600, passwordResetTokenS: 86_400, sessionS: 604_800 },
};

export interface CallResult {
  status: number;
  /** Parsed JSON, the text when not JSON, or null for an empty body. */
  body: any;
  headers: Headers;
}

export interface CallOptions {
  cookie?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface AdminTestContext {
  db: TestDatabase;
  deps: AdminAppDeps;
  /** Every log line the app wrote. */
  logLines: string[];
  /**
   * A request as the admin UI sends it: `Content-Type: application/json` on every state-changing method,
   * body or not (the API refuses anything else, see csrf-guard.ts); `headers` add to or replace those.
   */
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** `defguard_session=<id>` for a successful login; throws when the login fails. */
  login(username: string, password: string): Promise<string>;
  /** The bootstrapped admin's session cookie. */
  adminCookie: string;
  cleanup(): Promise<void>;
}

export async function createAdminTestContext(overrides: Partial<AdminAppDeps> = {}, database?: TestDatabase): Promise<AdminTestContext> {
  const db = database ?? (await createTestDatabase());
  const logLines: string[] = [];
  const log: Logger = createLogger({ level: "debug", format: "text", target: "defguard_core::admin_api", write: (l) => logLines.push(l) });
  await bootstrapAdmin(db.sql, TEST_ADMIN_CONFIG, log);
  const deps: AdminAppDeps = { sql: db.sql, config: TEST_ADMIN_CONFIG, log, ...overrides };
  const app = createAdminApp(deps);

  const call: AdminTestContext["call"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined || !SAFE_METHODS.has(method)) headers["content-type"] = "application/json";
    Object.assign(headers, options.headers);
    const res = await app.request(path, { method, headers, body: payload });
    const text = await res.text();
    let body: unknown = text === "" ? null : text;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {}
    return { status: res.status, body, headers: res.headers };
  };

  const login = async (username: string, password: string) => {
    const res = await call("POST", "/api/v1/auth", { body: { username, password } });
    const cookie = res.headers.get("set-cookie")?.match(new RegExp(`${SESSION_COOKIE}=[^;]+`))?.[0];
    if (res.status !== 200 || !cookie) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return cookie;
  };

  return { db, deps, logLines, call, login, adminCookie: await login("admin", "pass123"), cleanup: db.cleanup };
}
