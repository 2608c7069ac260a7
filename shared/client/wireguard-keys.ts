// A WireGuard key pair made in the browser with WebCrypto X25519: the private key is created here and
// never sent anywhere; only the public key goes to the Core. Both as WireGuard writes them: standard
// padded base64 of 32 bytes.

export interface WireguardKeyPair {
  privateKey: string;
  publicKey: string;
}

/** Why this browser cannot make keys: no WebCrypto (a page not served over HTTPS) or no X25519 in it. */
export class KeyGenerationUnsupported extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeyGenerationUnsupported";
  }
}

const KEY_BYTES = 32;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** base64url (JWK) to standard padded base64 (WireGuard). */
export function base64UrlToBase64(value: string): string {
  const standard = value.replace(/-/g, "+").replace(/_/g, "/");
  return standard + "=".repeat((4 - (standard.length % 4)) % 4);
}

/** True when `key` is standard padded base64 of exactly 32 bytes, as the Core requires. */
export function isWireguardKey(key: string): boolean {
  return /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(key);
}

/** Makes a fresh X25519 key pair. Throws KeyGenerationUnsupported when the browser cannot. */
export async function generateWireguardKeyPair(): Promise<WireguardKeyPair> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new KeyGenerationUnsupported("This browser can only make keys on a page opened over HTTPS.");
  }
  let pair: CryptoKeyPair;
  try {
    pair = (await subtle.generateKey({ name: "X25519" }, true, ["deriveBits"])) as CryptoKeyPair;
  } catch (cause) {
    throw new KeyGenerationUnsupported("This browser cannot make WireGuard (X25519) keys.", { cause });
  }
  const publicRaw = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  const privateJwk = await subtle.exportKey("jwk", pair.privateKey);
  if (publicRaw.length !== KEY_BYTES || !privateJwk.d) {
    throw new KeyGenerationUnsupported("This browser made a key WireGuard cannot use.");
  }
  return { privateKey: base64UrlToBase64(privateJwk.d), publicKey: bytesToBase64(publicRaw) };
}
