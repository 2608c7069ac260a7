// Second-factor secrets at rest (issue 14, informational part): TOTP and email-code secrets are stored
// sealed with AES-256-GCM under DEFGUARD_SECRET_KEY, so that a database dump or backup alone yields no
// second factors. Each value is bound to its place (column and user) as associated data: a sealed secret
// copied to another user's row does not open. Without a key values are stored as given (a startup warning
// says so); a value stored before the key was set is read as it is and sealed by sealStoredSecrets.
// The mail outbox seals the bodies of waiting mails (their links and codes) with the same box.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { internal } from "../../shared/errors.ts";

/** Marks a sealed value: `enc:v1:` + base64(iv ‖ ciphertext ‖ tag). A base32 secret never starts so. */
export const SEALED_PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  /** True when a key is set: seal() encrypts. */
  readonly encrypting: boolean;
  /** `plain` sealed for `place` (e.g. `users.totp_secret:42`); as given when no key is set. */
  seal(plain: string, place: string): string;
  /**
   * The secret stored as `stored` at `place`: opened when sealed, as it is otherwise. Throws INTERNAL
   * (the reason only in the log) when a sealed value cannot be opened: no key, another key, or tampering.
   */
  open(stored: string, place: string): string;
}

export const SECRET_BOX_MESSAGES = {
  noKey: "an MFA secret is stored encrypted but DEFGUARD_SECRET_KEY is not set: set the key it was stored with",
  cannotOpen: "an MFA secret cannot be decrypted: DEFGUARD_SECRET_KEY is not the key it was stored with, or the value was altered",
} as const;

/** The AES-256 key of a DEFGUARD_SECRET_KEY (32+ characters, meant to be random): its SHA-256. */
function aesKey(secretKey: string): Buffer {
  return createHash("sha256").update(secretKey, "utf8").digest();
}

export function createSecretBox(secretKey: string | undefined): SecretBox {
  const key = secretKey === undefined ? undefined : aesKey(secretKey);
  return {
    encrypting: key !== undefined,
    seal(plain, place) {
      if (!key) return plain;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(place, "utf8"));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64");
    },
    open(stored, place) {
      if (!stored.startsWith(SEALED_PREFIX)) return stored;
      if (!key) throw internal(SECRET_BOX_MESSAGES.noKey);
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), "base64");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(place, "utf8"));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
      } catch (err) {
        throw internal(SECRET_BOX_MESSAGES.cannotOpen, err);
      }
    },
  };
}

/** One box per config object (the key is hashed once), for whoever holds the Core's config. */
const boxes = new WeakMap<object, SecretBox>();

export function secretBoxOf(config: { secretKey?: string }): SecretBox {
  let box = boxes.get(config);
  if (!box) {
    box = createSecretBox(config.secretKey);
    boxes.set(config, box);
  }
  return box;
}
