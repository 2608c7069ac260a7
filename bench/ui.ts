// The admin UI section of `bun run bench`: server time of each page (the app's fetch, in process, so
// no browser or socket time counts) with 10,000 users and 20,000 devices in one location, on a fresh
// database. Users and devices are inserted in bulk by SQL (no password hashing); the signed-in admin has
// a real password and session.
import { createAdminApp } from "../core/admin-api/app.ts";
import { createAuditLog } from "../core/audit/audit-log.ts";
import { SESSION_COOKIE } from "../core/admin-api/session-guard.ts";
import { networkInputSchema } from "../core/networks/network-schema.ts";
import { createNetwork } from "../core/store/networks.ts";
import { bootstrapAdmin } from "../core/users/bootstrap-admin.ts";
import { createLogger } from "../shared/logger.ts";
import { TEST_ADMIN_CONFIG } from "../test/support/admin-api.ts";
import { createTestDatabase } from "../test/support/database.ts";
import { percentile } from "./load.ts";
import { table } from "./report.ts";

export interface UiPageTiming {
  path: string;
  status: number;
  /** Server time per request, ms, sorted. */
  ms: Float64Array;
  bytes: number;
}

export interface UiBenchReport {
  users: number;
  devices: number;
  database: string;
  pages: UiPageTiming[];
}

const ADMIN = { username: "benchadmin", password: "Bench-Adm1n!" };

async function fill(sql: Awaited<ReturnType<typeof createTestDatabase>>["sql"], users: number, devices: number): Promise<void> {
  await createNetwork(sql, networkInputSchema.parse({ name: "office", address: "10.200.0.1/16", port: 51820, endpoint: "vpn.example.com", allowed_ips: "10.200.0.0/16" }));
  await sql`
    INSERT INTO users (username, email, first_name, last_name)
    SELECT 'user' || i, 'user' || i || '@example.com', 'First' || i, 'Last' || i FROM generate_series(1, ${users}) AS i`;
  await sql`
    INSERT INTO devices (user_id, name, pubkey)
    SELECT u.id, 'device' || d, encode(sha256(('key' || u.id || '-' || d)::bytea), 'base64')
    FROM users u CROSS JOIN generate_series(1, ${Math.ceil(devices / users)}) AS d WHERE u.username LIKE 'user%'`;
  await sql`INSERT INTO network_devices (network_id, device_id) SELECT n.id, d.id FROM networks n CROSS JOIN devices d`;
  await sql`
    INSERT INTO network_device_addresses (network_id, device_id, address)
    SELECT nd.network_id, nd.device_id, '10.200.0.1'::inet + (row_number() OVER (ORDER BY nd.device_id))::int FROM network_devices nd`;
  await sql`ANALYZE`;
}

/** Times `samples` requests of each page after one warm-up request. */
export async function runUiBench(options: { users: number; devices: number; samples: number }): Promise<UiBenchReport> {
  const db = await createTestDatabase();
  try {
    const log = createLogger({ level: "error", format: "text", target: "bench::ui", write: () => {} });
    await bootstrapAdmin(db.sql, TEST_ADMIN_CONFIG, log);
    await fill(db.sql, options.users, options.devices);
    const app = createAdminApp({ sql: db.sql, config: TEST_ADMIN_CONFIG, log, audit: createAuditLog(db.sql, log) });
    const body = JSON.stringify({ username: ADMIN.username, first_name: "Bench", last_name: "Admin", email: "bench@example.com", password: ADMIN.password });
    const adminCookie = await login(app, "admin", "pass123");
    const headers = { cookie: adminCookie, "content-type": "application/json", origin: "http://localhost" };
    await app.request("http://localhost/api/v1/user", { method: "POST", headers, body });
    await app.request(`http://localhost/api/v1/group/admin/user/${ADMIN.username}`, { method: "POST", headers, body: "{}" });
    const cookie = await login(app, ADMIN.username, ADMIN.password);
    const [mid] = await db.sql<{ username: string }[]>`SELECT username FROM users WHERE username = ${`user${Math.floor(options.users / 2)}`}`;
    const [office] = await db.sql<{ id: number }[]>`SELECT id FROM networks WHERE name = 'office'`;
    const paths = [
      "/ui/overview", "/ui/users", `/ui/users?page=${Math.floor(options.users / 50)}`, "/ui/users?search=user4242", "/ui/users?search=Last99", `/ui/users/${mid!.username}`, "/ui/groups", "/ui/groups/admin", "/ui/account",
      "/ui/locations", `/ui/locations/${office!.id}`, `/ui/locations/${office!.id}?page=${Math.floor(options.devices / 50)}`,
      "/ui/devices", `/ui/devices?page=${Math.floor(options.devices / 50)}`, "/ui/devices?username=user4242", "/ui/settings", "/ui/audit", "/ui/audit?username=user42&event=admin_login",
    ];
    const pages: UiPageTiming[] = [];
    for (const path of paths) {
      const get = () => app.request(`http://localhost${path}`, { headers: { cookie } });
      const first = await get();
      const bytes = (await first.text()).length;
      const ms = new Float64Array(options.samples);
      for (let i = 0; i < options.samples; i++) {
        const started = performance.now();
        const res = await get();
        await res.text();
        ms[i] = performance.now() - started;
      }
      pages.push({ path, status: first.status, ms: ms.sort(), bytes });
    }
    return { users: options.users, devices: options.devices, database: db.kind, pages };
  } finally {
    await db.cleanup();
  }
}

async function login(app: ReturnType<typeof createAdminApp>, username: string, password: string): Promise<string> {
  const res = await app.request("http://localhost/api/v1/auth", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost" },
    body: JSON.stringify({ username, password }),
  });
  const cookie = res.headers.get("set-cookie")?.match(new RegExp(`${SESSION_COOKIE}=[^;]+`))?.[0];
  if (!cookie) throw new Error(`bench login of ${username} failed: ${res.status} ${await res.text()}`);
  return cookie;
}

const TARGET_MS = 100;

export function printUiReport(report: UiBenchReport, machine: string): void {
  const fmt = (v: number) => `${v.toFixed(1)} ms`;
  const rows = [["page (server time, in process)", "status", "p50", "p95", "max", "HTML", `target p95 < ${TARGET_MS} ms`]];
  for (const page of report.pages) {
    const p95 = percentile(page.ms, 0.95);
    rows.push([page.path, String(page.status), fmt(percentile(page.ms, 0.5)), fmt(p95), fmt(page.ms[page.ms.length - 1]!), `${(page.bytes / 1024).toFixed(1)} KiB`, p95 < TARGET_MS ? "met" : "missed"]);
  }
  console.log(`\nAdmin UI pages with ${report.users.toLocaleString("en")} users and ${report.devices.toLocaleString("en")} devices (${report.database}), ${machine}\n`);
  console.log(table(rows));
}
