// WireGuard keys: Curve25519 (X25519) key pairs and preshared keys, written as WireGuard writes them,
// standard padded base64 of 32 bytes (44 characters).
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";

export const KEY_BYTES = 32;
/** DER prefix of a PKCS#8 X25519 private key; the 32 key bytes follow it. */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
/** 43 base64 characters then `=`; the last character carries only 4 bits, so its low 2 bits are zero. */
const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export interface WireguardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** True only for standard padded base64 of exactly 32 bytes, the only form WireGuard accepts. */
export function isWireguardKey(value: string): boolean {
  return WIREGUARD_KEY.test(value);
}

/** The public key of a base64 private key; throws TypeError for anything but a WireGuard key. */
export function publicKeyFromPrivate(privateKey: string): string {
  if (!isWireguardKey(privateKey)) throw new TypeError("expected a WireGuard private key (base64 of 32 bytes)");
  const der = Buffer.concat([PKCS8_X25519_PREFIX, Buffer.from(privateKey, "base64")]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: "der", type: "pkcs8" })).export({ format: "jwk" });
  return Buffer.from(jwk.x!, "base64url").toString("base64");
}

/** A new key pair; the private key is clamped as `wg genkey` does, so both tools print the same thing. */
export function generateKeyPair(): WireguardKeyPair {
  const secret = randomBytes(KEY_BYTES);
  secret[0]! &= 248;
  secret[31] = (secret[31]! & 127) | 64;
  const privateKey = secret.toString("base64");
  return { privateKey, publicKey: publicKeyFromPrivate(privateKey) };
}

/** A preshared key as `wg genpsk` makes it: 32 random bytes in base64. */
export function generatePresharedKey(): string {
  return randomBytes(KEY_BYTES).toString("base64");
}
