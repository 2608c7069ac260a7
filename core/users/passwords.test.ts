import { describe, expect, test } from "bun:test";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.ts";

describe("passwords", () => {
  test("hashes with Argon2id at 64 MiB and 2 passes (stronger than OWASP's minimum) and verifies", async () => {
    const hash = await hashPassword("Corr3ct-horse");
    expect(hash).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
    expect(await verifyPassword("Corr3ct-horse", hash)).toBe(true);
    expect(await verifyPassword("corr3ct-horse", hash)).toBe(false);
    expect(await verifyPassword("Corr3ct-horse", null)).toBe(false);
  });

  test("a hash weaker than today's settings, or not Argon2id v19, needs rehashing", async () => {
    expect(needsRehash(await hashPassword("Corr3ct-horse"))).toBe(false);
    const cases: [string, boolean][] = [
      ["$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaA", false],
      ["$argon2id$v=19$m=131072,t=2,p=4$c2FsdHNhbHQ$aGFzaA", false],
      ["$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", true],
      ["$argon2id$v=19$m=65536,t=1,p=1$c2FsdHNhbHQ$aGFzaA", true],
      ["$argon2i$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaA", true],
      ["$argon2id$v=16$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaA", true],
      [await Bun.password.hash("Corr3ct-horse", { algorithm: "bcrypt", cost: 4 }), true],
    ];
    for (const [hash, expected] of cases) expect([hash, needsRehash(hash)]).toEqual([hash, expected]);
  });
});
