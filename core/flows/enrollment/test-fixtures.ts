// For the enrollment tests only: a migrated database with an admin, users, networks and tokens written
// straight into the tables, and a `call` that goes through the real dispatcher.
import { afterAll, beforeAll } from "bun:test";
import type postgres from "postgres";
import type { CoreRequest__Output, CoreResponse } from "../../../shared/proto.ts";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { createLogger, type Logger } from "../../../shared/logger.ts";
import { type CoreConfig, loadCoreConfig } from "../../config.ts";
import { dispatch, type RequestPayloadKind } from "../../dispatcher.ts";
import { generateToken, hashToken } from "../../tokens.ts";
import { generateKeyPair } from "../../wireguard/keys.ts";
import { enrollmentHandlers } from "../enrollment.ts";

export const CORE_URL = "https://defguard.example.com";
export const ENROLLMENT_URL = "https://enroll.example.com";

export function testConfig(env: Record<string, string> = {}): CoreConfig {
  return loadCoreConfig({ DEFGUARD_URL: CORE_URL, DEFGUARD_ENROLLMENT_URL: ENROLLMENT_URL, ...env });
}

/** A fresh device key as a desktop client makes it: X25519, the raw 32 public bytes in base64. */
export function newDeviceKey(): string {
  return generateKeyPair().publicKey;
}

export interface Harness {
  sql: postgres.Sql;
  config: CoreConfig;
  /** Every log line the handlers wrote (warn and above). */
  logLines: string[];
  call(kind: RequestPayloadKind, body: object): Promise<CoreResponse>;
}

export function createHarness(sql: postgres.Sql, options: { config?: CoreConfig } = {}): Harness {
  const logLines: string[] = [];
  const log: Logger = createLogger({ level: "warn", format: "text", target: "test::enrollment", write: (l) => logLines.push(l) });
  const config = options.config ?? testConfig();
  const handlers = enrollmentHandlers({ config, sql, log });
  let id = 0;
  return {
    sql,
    config,
    logLines,
    call(kind, body) {
      const request = { id: ++id, payload: kind, [kind]: body } as unknown as CoreRequest__Output;
      return dispatch(request, handlers, log);
    },
  };
}

/**
 * Registers beforeAll/afterAll in the calling file: a fresh test database and a harness on it with the
 * default config, handed to `use` before the first test; the database dropped after the last.
 */
export function useEnrollmentHarness(use: (started: { db: TestDatabase; h: Harness }) => void): void {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    use({ db, h: createHarness(db.sql) });
  });
  afterAll(async () => {
    await db?.cleanup();
  });
}

let counter = 0;

/** Any non-null hash marks a user as enrolled; tests that never verify it need no real Argon2id. */
export const ENROLLED_PASSWORD_HASH = "$argon2id$v=19$m=65536,t=2,p=1$placeholder$placeholder";

export interface UserSeed {
  username?: string;
  first_name?: string;
  last_name?: string;
  phone?: string | null;
  password_hash?: string | null;
  is_active?: boolean;
  admin?: boolean;
}

export async function addUser(sql: postgres.Sql, seed: UserSeed = {}): Promise<{ id: number; username: string }> {
  const username = seed.username ?? `user${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  const [user] = await sql<{ id: number }[]>`
    INSERT INTO users (username, email, first_name, last_name, phone, password_hash, is_active)
    VALUES (${username}, ${`${username}@example.com`}, ${seed.first_name ?? "Alice"}, ${seed.last_name ?? "Smith"},
            ${seed.phone ?? null}, ${seed.password_hash ?? null}, ${seed.is_active ?? true})
    RETURNING id`;
  if (seed.admin) await sql`INSERT INTO group_members (group_id, user_id) SELECT id, ${user!.id} FROM groups WHERE name = 'admin'`;
  return { id: user!.id, username };
}

export interface TokenSeed {
  kind?: "ENROLLMENT" | "PASSWORD_RESET";
  adminId?: number | null;
}

export async function addToken(sql: postgres.Sql, userId: number, seed: TokenSeed = {}): Promise<string> {
  const token = generateToken();
  await sql`
    INSERT INTO tokens (token_hash, kind, user_id, admin_id, expires_at)
    VALUES (${hashToken(token)}, ${seed.kind ?? "ENROLLMENT"}, ${userId}, ${seed.adminId ?? null}, now() + interval '24 hours')`;
  return token;
}

export interface NetworkSeed {
  name?: string;
  address?: string[];
  dns?: string | null;
  allowed_ips?: string[];
  mfa_mode?: "disabled" | "internal" | "external";
  allowedGroups?: string[];
}

export async function addNetwork(sql: postgres.Sql, seed: NetworkSeed = {}): Promise<{ id: number; name: string; pubkey: string }> {
  const keys = generateKeyPair();
  const name = seed.name ?? `net${++counter}`;
  const [network] = await sql<{ id: number }[]>`
    INSERT INTO networks (name, address, port, endpoint, pubkey, privkey, dns, allowed_ips, keepalive_interval, mfa_mode)
    VALUES (${name}, ${seed.address ?? ["10.10.0.1/24"]}, 51820, 'vpn.example.com', ${keys.publicKey}, ${keys.privateKey},
            ${seed.dns === undefined ? "10.10.0.1" : seed.dns}, ${seed.allowed_ips ?? ["10.10.0.0/24"]}, 25, ${seed.mfa_mode ?? "disabled"})
    RETURNING id`;
  for (const group of seed.allowedGroups ?? []) {
    await sql`INSERT INTO groups (name) VALUES (${group}) ON CONFLICT (name) DO NOTHING`;
    await sql`INSERT INTO network_allowed_groups (network_id, group_id) SELECT ${network!.id}, id FROM groups WHERE name = ${group}`;
  }
  return { id: network!.id, name, pubkey: keys.publicKey };
}

/** The core_error of a response, or undefined when it succeeded. */
export function errorOf(response: CoreResponse): { status_code?: number; message?: string } | undefined {
  return response.core_error ?? undefined;
}
