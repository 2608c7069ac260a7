import { describe, expect, test } from "bun:test";
import { hashPassword, verifyPassword } from "./passwords.ts";

describe("passwords", () => {
  test("hashes with Argon2id at OWASP's parameters and verifies", async () => {
    const hash = await hashPassword("Corr3ct-horse");
    expect(hash).toStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
    expect(await verifyPassword("Corr3ct-horse", hash)).toBe(true);
    expect(await verifyPassword("corr3ct-horse", hash)).toBe(false);
    expect(await verifyPassword("Corr3ct-horse", null)).toBe(false);
  });
});
