// Sealing of session cookie values (enrollment and password-reset tokens): AES-256-GCM, so a cookie is
// unreadable and unforgeable without the key. The key comes from DEFGUARD_PROXY_COOKIE_KEY, so Proxies
// sharing it accept each other's cookies; unset, a random key per process.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The first byte of every sealed value, so a later format can be told apart. */
const FORMAT_VERSION = 1;
/** HKDF parameters: fixed, so the same secret gives the same key on every Proxy. */
const HKDF_SALT = "defguard-proxy-cookie-seal";
const HKDF_INFO = "aes-256-gcm v1";

export interface CookieSealer {
  /** Encrypts `value` bound to the cookie `name` (a value sealed for one name does not open under another). */
  seal(name: string, value: string): string;
  /** The value, or null for anything tampered, truncated, sealed under another key or name. */
  open(name: string, sealed: string): string | null;
  /** True when the key is random for this process (a restart ends every session). */
  readonly ephemeral: boolean;
}

/** Derives the AES key from `secret`, or draws a random one when `secret` is undefined. */
export function createCookieSealer(secret: string | undefined): CookieSealer {
  const key = secret === undefined ? randomBytes(KEY_BYTES) : Buffer.from(hkdfSync("sha256", secret, HKDF_SALT, HKDF_INFO, KEY_BYTES));
  return {
    ephemeral: secret === undefined,
    seal(name, value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(name));
      const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
      return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, body, cipher.getAuthTag()]).toString("base64url");
    },
    open(name, sealed) {
      const bytes = Buffer.from(sealed, "base64url");
      if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== FORMAT_VERSION) return null;
      const iv = bytes.subarray(1, 1 + IV_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const body = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv);
        decipher.setAAD(Buffer.from(name));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      } catch {
        return null;
      }
    },
  };
}
