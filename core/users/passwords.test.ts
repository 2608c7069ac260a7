import { describe, expect, test } from "bun:test";
import { hashPassword, passwordWeakness, verifyPassword } from "./passwords.ts";

describe("passwords", () => {
  test("hashes with Argon2id at OWASP's parameters and verifies", async () => {
    const hash = await hashPassword("Corr3ct-horse");
    expect(hash).toStartWith("$argon2id$v=19$m=19456,t=2,p=1$");
    expect(await verifyPassword("Corr3ct-horse", hash)).toBe(true);
    expect(await verifyPassword("corr3ct-horse", hash)).toBe(false);
    expect(await verifyPassword("Corr3ct-horse", null)).toBe(false);
  });

  test("strength: accepted and rejected passwords with the reason", () => {
    for (const ok of ["Passw0rd!", "aB3$aB3$", "x".repeat(124) + "A1b!"]) expect(passwordWeakness(ok)).toBeNull();
    const rejected: Array<[string, string]> = [
      ["Aa1!aa", "password must be at least 8 characters long"],
      ["Aa1!" + "a".repeat(125), "password must be at most 128 characters long"],
      ["PASSW0RD!", "password must contain a lowercase letter"],
      ["passw0rd!", "password must contain an uppercase letter"],
      ["Password!", "password must contain a digit"],
      ["Passw0rdd", "password must contain a special character"],
      ["passwordpassword", "password must contain an uppercase letter, a digit, a special character"],
      ["Passw0rd ł", "password must contain a special character"],
    ];
    for (const [password, reason] of rejected) expect(passwordWeakness(password)).toBe(reason);
  });
});
