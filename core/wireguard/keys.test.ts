import { describe, expect, test } from "bun:test";
import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync } from "node:crypto";
import { generateKeyPair, generatePresharedKey, isWireguardKey, publicKeyFromPrivate } from "./keys.ts";

describe("WireGuard keys", () => {
  test("derives the public key of RFC 7748's test vector (Alice)", () => {
    const alicePrivate = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex").toString("base64");
    const alicePublic = Buffer.from("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "hex").toString("base64");
    expect(publicKeyFromPrivate(alicePrivate)).toBe(alicePublic);
  });

  test("a generated pair is two keys, clamped like wg genkey, that agree with node's X25519 on a shared secret", () => {
    const pair = generateKeyPair();
    expect(isWireguardKey(pair.privateKey)).toBe(true);
    expect(isWireguardKey(pair.publicKey)).toBe(true);
    const raw = Buffer.from(pair.privateKey, "base64");
    expect(raw[0]! & 7).toBe(0);
    expect(raw[31]! & 0xc0).toBe(0x40);
    expect(generateKeyPair().privateKey).not.toBe(pair.privateKey);

    const b64url = (b64: string) => Buffer.from(b64, "base64").toString("base64url");
    const ours = {
      privateKey: createPrivateKey({ key: { kty: "OKP", crv: "X25519", d: b64url(pair.privateKey), x: b64url(pair.publicKey) }, format: "jwk" }),
      publicKey: createPublicKey({ key: { kty: "OKP", crv: "X25519", x: b64url(pair.publicKey) }, format: "jwk" }),
    };
    const theirs = generateKeyPairSync("x25519");
    const secretA = diffieHellman({ privateKey: ours.privateKey, publicKey: theirs.publicKey });
    const secretB = diffieHellman({ privateKey: theirs.privateKey, publicKey: ours.publicKey });
    expect(secretA.equals(secretB)).toBe(true);
  });

  test("a preshared key is base64 of 32 bytes, fresh each time", () => {
    const psk = generatePresharedKey();
    expect(isWireguardKey(psk)).toBe(true);
    expect(generatePresharedKey()).not.toBe(psk);
  });

  test("isWireguardKey accepts only standard padded base64 of exactly 32 bytes", () => {
    const good = Buffer.alloc(32, 7).toString("base64");
    expect(isWireguardKey(good)).toBe(true);
    const rejected = [
      "",
      good.slice(0, -1), // no padding
      Buffer.alloc(31, 7).toString("base64"),
      Buffer.alloc(33, 7).toString("base64"),
      Buffer.alloc(32, 0xfb).toString("base64url") + "=", // URL-safe alphabet
      good.slice(0, 42) + "B=", // non-canonical last character
      ` ${good}`,
      `${good}\n`,
    ];
    for (const key of rejected) expect(isWireguardKey(key)).toBe(false);
  });

  test("publicKeyFromPrivate refuses what is not a key", () => {
    expect(() => publicKeyFromPrivate("not a key")).toThrow("expected a WireGuard private key (base64 of 32 bytes)");
  });
});
