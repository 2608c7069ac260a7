import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createTestDatabase, type TestDatabase } from "../../test/support/database.ts";
import { describeSmtp, mergeSmtpSettings, publicSmtpSettings, resolveSmtpSettings, smtpConfigured, type SmtpSettingsRow } from "./smtp-settings.ts";

// Real databases (PGlite takes seconds to start) and SMTP on a shared 2-core machine; no duration is asserted.
setDefaultTimeout(30_000);

const env = { host: "smtp.env.example", port: 2525, user: "env-user", password: "env-secret", sender: "vpn@env.example", encryption: "tls" as const };
const noRow: SmtpSettingsRow = { smtp_host: null, smtp_port: null, smtp_user: null, smtp_password: null, smtp_sender: null, smtp_encryption: null };

describe("mergeSmtpSettings", () => {
  test("the environment alone", () => {
    expect(mergeSmtpSettings(env, noRow)).toEqual({ ...env });
  });

  test("each stored value overrides its variable; NULL keeps the variable", () => {
    const merged = mergeSmtpSettings(env, { ...noRow, smtp_host: "smtp.db.example", smtp_encryption: "starttls" });
    expect(merged).toEqual({ ...env, host: "smtp.db.example", encryption: "starttls" });
  });

  test("a stored empty user or password means no authentication", () => {
    expect(mergeSmtpSettings(env, { ...noRow, smtp_user: "", smtp_password: "" })).toMatchObject({ user: undefined, password: undefined });
  });

  test("settings alone, with the default port and STARTTLS", () => {
    expect(mergeSmtpSettings(undefined, { ...noRow, smtp_host: "smtp.db.example", smtp_sender: "vpn@db.example" })).toEqual({
      host: "smtp.db.example",
      port: 587,
      user: undefined,
      password: undefined,
      sender: "vpn@db.example",
      encryption: "starttls",
    });
  });

  test("not configured without a host or without a sender", () => {
    expect(mergeSmtpSettings(undefined, noRow)).toBeNull();
    expect(mergeSmtpSettings(undefined, undefined)).toBeNull();
    expect(mergeSmtpSettings({ ...env, sender: undefined }, noRow)).toBeNull();
    expect(mergeSmtpSettings(env, { ...noRow, smtp_sender: "" })).toEqual({ ...env });
  });
});

describe("what may be shown", () => {
  test("describeSmtp and publicSmtpSettings never contain the password", () => {
    const settings = mergeSmtpSettings(env, noRow)!;
    expect(describeSmtp(settings)).toBe("smtp://env-user@smtp.env.example:2525 (tls)");
    const shown = publicSmtpSettings(settings);
    expect(shown).toEqual({
      smtp_configured: true,
      smtp_host: "smtp.env.example",
      smtp_port: 2525,
      smtp_user: "env-user",
      smtp_sender: "vpn@env.example",
      smtp_encryption: "tls",
      smtp_password_set: true,
    });
    expect(JSON.stringify(shown)).not.toContain("env-secret");
    expect(publicSmtpSettings(null).smtp_configured).toBe(false);
  });
});

describe("resolveSmtpSettings on the database", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.cleanup();
  });

  test("no environment and no settings: not configured", async () => {
    expect(await resolveSmtpSettings(db.sql, {})).toBeNull();
    expect(await smtpConfigured(db.sql, {})).toBe(false);
  });

  test("the settings row overrides the environment, inside a transaction too", async () => {
    expect(await smtpConfigured(db.sql, { smtp: env })).toBe(true);
    await db.sql`UPDATE settings SET smtp_host = 'smtp.db.example', smtp_port = 465, smtp_password = 'db-secret' WHERE id = 1`;
    const resolved = await db.sql.begin((tx) => resolveSmtpSettings(tx, { smtp: env }));
    expect(resolved).toEqual({ ...env, host: "smtp.db.example", port: 465, password: "db-secret" });
    await db.sql`UPDATE settings SET smtp_sender = 'vpn@db.example' WHERE id = 1`;
    expect(await smtpConfigured(db.sql, {})).toBe(true);
  });

  test("the database refuses a port or encryption out of range", async () => {
    await expect(db.sql`UPDATE settings SET smtp_port = 0 WHERE id = 1`).rejects.toThrow(/check constraint/);
    await expect(db.sql`UPDATE settings SET smtp_encryption = 'ssl' WHERE id = 1`).rejects.toThrow(/check constraint/);
  });
});
