import { describe, expect, test } from "bun:test";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { base64UrlToBase64, bytesToBase64, generateWireguardKeyPair, isWireguardKey } from "./wireguard-keys.ts";

/** The X25519 public key of a raw private key, by node:crypto (an independent implementation). */
function publicKeyOf(privateKey: string): string {
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), Buffer.from(privateKey, "base64")]);
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "jwk" });
  return Buffer.from(jwk.x!, "base64url").toString("base64");
}

describe("generateWireguardKeyPair (WebCrypto X25519, as in the browser)", () => {
  test("both keys are WireGuard keys and the public key belongs to the private one", async () => {
    const pair = await generateWireguardKeyPair();
    expect(isWireguardKey(pair.privateKey)).toBe(true);
    expect(isWireguardKey(pair.publicKey)).toBe(true);
    expect(publicKeyOf(pair.privateKey)).toBe(pair.publicKey);
    expect((await generateWireguardKeyPair()).privateKey).not.toBe(pair.privateKey);
  });
});

describe("key encodings", () => {
  test("isWireguardKey: standard padded base64 of exactly 32 bytes", () => {
    expect(isWireguardKey(Buffer.alloc(32, 255).toString("base64"))).toBe(true);
    expect(isWireguardKey(Buffer.alloc(31).toString("base64"))).toBe(false);
    expect(isWireguardKey(Buffer.alloc(33).toString("base64"))).toBe(false);
    expect(isWireguardKey(Buffer.alloc(32, 255).toString("base64url"))).toBe(false);
    expect(isWireguardKey(Buffer.alloc(32, 255).toString("base64").slice(0, -1))).toBe(false);
    expect(isWireguardKey("A".repeat(43) + "B=")).toBe(false); // non-zero bits past the 32nd byte
  });

  test("base64url of a JWK to padded base64, and bytes to base64", () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 8 + 3));
    expect(base64UrlToBase64(bytes.toString("base64url"))).toBe(bytes.toString("base64"));
    expect(bytesToBase64(new Uint8Array(bytes))).toBe(bytes.toString("base64"));
  });
});
