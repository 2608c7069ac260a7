// Issue 14, item 7: a Core whose admin API other hosts could reach refuses to start while `admin` still
// has `pass123`. The bind address is 192.0.2.1 (TEST-NET-1, on no interface here): the refusal must come
// before any bind, and were it missing the bind would fail rather than listen beyond loopback.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { startCoreProcess } from "./support/services.ts";

setDefaultTimeout(60_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  if (db.kind === "embedded") await db.close();
});
afterAll(() => db.cleanup());

async function runCore(env: Record<string, string>) {
  const core = startCoreProcess({ ...db.env, ...env });
  return { code: await core.exited, output: core.output };
}

describe("a Core reachable from other hosts with the default admin password", () => {
  test("refuses to start, naming DEFGUARD_DEFAULT_ADMIN_PASSWORD and DEFGUARD_HTTP_BIND_ADDRESS", async () => {
    const { code, output } = await runCore({ DEFGUARD_HTTP_BIND_ADDRESS: "192.0.2.1" });
    expect(code).toBe(1);
    expect(output).toContain(
      "defguard-core: cannot start, the admin API would listen on 192.0.2.1 (DEFGUARD_HTTP_BIND_ADDRESS), reachable from other hosts, while user admin " +
        "still has the default password pass123: set DEFGUARD_DEFAULT_ADMIN_PASSWORD to a strong password (it replaces pass123 at this start), or set DEFGUARD_HTTP_BIND_ADDRESS=127.0.0.1",
    );
    expect(output).not.toContain("Admin API listening");
  });

  // The first test left `admin` with pass123 in this database.
  test("with DEFGUARD_DEFAULT_ADMIN_PASSWORD set, the same address gets past the check (and fails only to bind)", async () => {
    const { code, output } = await runCore({ DEFGUARD_HTTP_BIND_ADDRESS: "192.0.2.1", DEFGUARD_DEFAULT_ADMIN_PASSWORD: "Chosen-Passw0rd!" });
    expect(code).toBe(1);
    expect(output).toContain("User admin still had the default password; it is now DEFGUARD_DEFAULT_ADMIN_PASSWORD");
    expect(output).toContain("defguard-core: cannot start, cannot listen for the admin API (DEFGUARD_HTTP_BIND_ADDRESS / DEFGUARD_HTTP_PORT)");
    expect(output).not.toContain("Chosen-Passw0rd!");
  });
});
