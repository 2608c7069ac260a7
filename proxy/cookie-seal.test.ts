import { describe, expect, test } from "bun:test";
import { createCookieSealer } from "./cookie-seal.ts";

const SECRET = "a-secret-of-at-least-32-characters!!";
const TOKEN = "Zx8kq2P0aB3cD4eF5gH6iJ7kL8mN9oPq";

describe("cookie sealing", () => {
  test("round trip; the sealed value does not contain the token", () => {
    const sealer = createCookieSealer(SECRET);
    const sealed = sealer.seal("defguard_proxy", TOKEN);
    expect(sealed).not.toContain(TOKEN);
    expect(/^[A-Za-z0-9_-]+$/.test(sealed)).toBe(true);
    expect(sealer.open("defguard_proxy", sealed)).toBe(TOKEN);
    expect(sealer.ephemeral).toBe(false);
  });

  test("two sealings of one value differ (random IV)", () => {
    const sealer = createCookieSealer(SECRET);
    expect(sealer.seal("c", TOKEN)).not.toBe(sealer.seal("c", TOKEN));
  });

  test("the same secret on another Proxy opens the cookie; another secret does not", () => {
    const sealed = createCookieSealer(SECRET).seal("defguard_proxy", TOKEN);
    expect(createCookieSealer(SECRET).open("defguard_proxy", sealed)).toBe(TOKEN);
    expect(createCookieSealer(`${SECRET}x`).open("defguard_proxy", sealed)).toBeNull();
  });

  test("a random key per process when no secret is given", () => {
    const a = createCookieSealer(undefined);
    const b = createCookieSealer(undefined);
    expect(a.ephemeral).toBe(true);
    expect(a.open("c", a.seal("c", TOKEN))).toBe(TOKEN);
    expect(b.open("c", a.seal("c", TOKEN))).toBeNull();
  });

  test("a value sealed for one cookie name does not open under another", () => {
    const sealer = createCookieSealer(SECRET);
    expect(sealer.open("defguard_proxy_password_reset", sealer.seal("defguard_proxy", TOKEN))).toBeNull();
  });

  test("tampered, truncated and garbage values open to null", () => {
    const sealer = createCookieSealer(SECRET);
    const sealed = sealer.seal("c", TOKEN);
    const bytes = Buffer.from(sealed, "base64url");
    for (const i of [0, 5, 20, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[i]! ^= 1;
      expect(sealer.open("c", flipped.toString("base64url"))).toBeNull();
    }
    expect(sealer.open("c", sealed.slice(0, 20))).toBeNull();
    expect(sealer.open("c", "")).toBeNull();
    expect(sealer.open("c", TOKEN)).toBeNull();
    expect(sealer.open("c", "!!!not base64!!!")).toBeNull();
  });
});
