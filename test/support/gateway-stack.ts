// A Core running in this process with its gateway server on a free loopback port, on a given test
// database, with helpers for its admin API (logged in as `admin`) and for tokens.
import { type CoreConfig, loadCoreConfig } from "../../core/config.ts";
import { type CoreHandle, type StartCoreOptions, startCore } from "../../core/start-core.ts";
import { generateKeyPair } from "../../core/wireguard/keys.ts";
import { createLogger } from "../../shared/logger.ts";
import type { TestDatabase } from "./database.ts";

export const GATEWAY_SECRET = "gateway-tests-secret-of-at-least-32-characters";

export interface GatewayCore {
  core: CoreHandle;
  config: CoreConfig;
  /** The Core's own client: on the embedded database the only one there is. */
  sql: CoreHandle["db"]["sql"];
  /** `127.0.0.1:<port>` of the gateway server. */
  target: string;
  lines: string[];
  /** An admin API call with the admin session; body parsed as JSON when it is. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A gateway token for `networkId` through GET /api/v1/network/{id}/token. */
  token(networkId: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a Core on `db`. On PostgreSQL the test keeps its own `db.sql`; the embedded database serves one
 * process, so its test handle is closed first and the test uses the Core's `sql`.
 */
export async function startGatewayCore(db: Pick<TestDatabase, "env" | "kind" | "close">, env: Record<string, string> = {}, options: StartCoreOptions = {}): Promise<GatewayCore> {
  const config = loadCoreConfig({
    ...db.env,
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_PORT: "0",
    DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_GRPC_PORT: "0",
    DEFGUARD_GATEWAY_SECRET: GATEWAY_SECRET,
    DEFGUARD_GRPC_URL: "http://gateway-core.example.com:50055",
    DEFGUARD_COOKIE_INSECURE: "true",
    ...env,
  });
  const lines: string[] = [];
  const log = createLogger({ level: "debug", format: "text", target: "defguard", write: (line) => lines.push(line) });
  if (db.kind === "embedded") await db.close();
  const core = await startCore(config, log, options);
  const base = `http://127.0.0.1:${core.admin.port}/api/v1`;
  const login = await fetch(`${base}/auth`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: "pass123" }) });
  const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  const api: GatewayCore["api"] = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      // Every state change says JSON, body or not: the admin API refuses it otherwise (415).
      headers: { cookie, ...(method === "GET" ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body: parsed };
  };
  return {
    core,
    config,
    sql: core.db.sql,
    target: `127.0.0.1:${core.gateways.server?.port}`,
    lines,
    api,
    async token(networkId) {
      const res = await api("GET", `/network/${networkId}/token`);
      if (res.status !== 200) throw new Error(`token for network ${networkId}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    stop: () => core.stop(),
  };
}

/** A network body for POST /api/v1/network. */
export function networkBody(name: string, address: string, overrides: Record<string, unknown> = {}) {
  return { name, address: [address], port: 51820, endpoint: "vpn.example.com", allowed_ips: ["10.0.0.0/8"], dns: null, allowed_groups: [], ...overrides };
}

/** A fresh WireGuard public key for a test device. */
export const newPubkey = () => generateKeyPair().publicKey;
