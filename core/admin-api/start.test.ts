import { afterAll, beforeAll, expect, test } from "bun:test";
import { createLogger } from "../../shared/logger.ts";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { loadCoreConfig } from "../config.ts";
import { startAdminApi } from "./start.ts";

let db: TestDatabase;
beforeAll(async () => void (db = await createTestDatabase()));
afterAll(() => db.cleanup());

test("startAdminApi bootstraps admin, warns about pass123, and serves the API on the configured address", async () => {
  const lines: string[] = [];
  const log = createLogger({ level: "info", format: "text", target: "defguard_core", write: (l) => lines.push(l) });
  const config = loadCoreConfig({ ...db.env, DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1", DEFGUARD_HTTP_PORT: "0" });
  const server = await startAdminApi({ config, sql: db.sql, log });
  try {
    expect(lines.some((l) => l.endsWith("WARN defguard_core: User admin still has the default password pass123; change it now"))).toBe(true);
    expect(lines.some((l) => l.endsWith(`INFO defguard_core: Admin API listening on http://127.0.0.1:${server.port}`))).toBe(true);
    const res = await fetch(`${server.url}/api/v1/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "pass123" }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const users = await fetch(`${server.url}/api/v1/user`, { headers: { cookie } });
    expect(users.status).toBe(200);
    expect((await users.json()).map((u: { username: string }) => u.username)).toEqual(["admin"]);

    const taken = await startAdminApi({ config: { ...config, http: { host: "127.0.0.1", port: server.port } }, sql: db.sql, log }).catch((e: unknown) => e);
    expect((taken as NodeJS.ErrnoException).code).toBe("EADDRINUSE");
  } finally {
    await server.stop();
  }
});
