import { describe, expect, test } from "bun:test";
import { AppError, GrpcStatus } from "../../shared/errors.ts";
import { SEALED_PREFIX, SECRET_BOX_MESSAGES, createSecretBox, secretBoxOf } from "./secret-box.ts";

const KEY = "a-secret-key-of-at-least-32-characters!";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/** `code: message` of what `fn` throws. */
function thrown(fn: () => unknown): string {
  try {
    fn();
    return "nothing thrown";
  } catch (err) {
    return `${(err as AppError).code}: ${(err as AppError).message}`;
  }
}

describe("secret box", () => {
  test("seals with AES-256-GCM: prefixed, the secret not in it, a fresh IV each time, and opens back", () => {
    const box = createSecretBox(KEY);
    const a = box.seal(SECRET, "users.totp_secret:1");
    const b = box.seal(SECRET, "users.totp_secret:1");
    expect(a.startsWith(SEALED_PREFIX)).toBe(true);
    expect(a).not.toContain(SECRET);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(SEALED_PREFIX.length), "base64")).toHaveLength(12 + SECRET.length + 16);
    expect([box.open(a, "users.totp_secret:1"), box.open(b, "users.totp_secret:1")]).toEqual([SECRET, SECRET]);
  });

  test("a value stored before the key was set reads as it is", () => {
    expect(createSecretBox(KEY).open(SECRET, "users.totp_secret:1")).toBe(SECRET);
  });

  test("without a key values are stored as given, and a sealed one cannot be read", () => {
    const plain = createSecretBox(undefined);
    expect(plain.encrypting).toBe(false);
    expect(plain.seal(SECRET, "users.totp_secret:1")).toBe(SECRET);
    const sealed = createSecretBox(KEY).seal(SECRET, "users.totp_secret:1");
    expect(thrown(() => plain.open(sealed, "users.totp_secret:1"))).toBe(`${GrpcStatus.INTERNAL}: ${SECRET_BOX_MESSAGES.noKey}`);
  });

  test("another key, another place (a secret copied to another user's row) or a changed byte does not open", () => {
    const sealed = createSecretBox(KEY).seal(SECRET, "users.totp_secret:1");
    const cannot = `${GrpcStatus.INTERNAL}: ${SECRET_BOX_MESSAGES.cannotOpen}`;
    expect(thrown(() => createSecretBox(`${KEY}x`).open(sealed, "users.totp_secret:1"))).toBe(cannot);
    expect(thrown(() => createSecretBox(KEY).open(sealed, "users.totp_secret:2"))).toBe(cannot);
    expect(thrown(() => createSecretBox(KEY).open(sealed, "users.email_mfa_secret:1"))).toBe(cannot);
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), "base64");
    raw[20] = raw[20]! ^ 1;
    expect(thrown(() => createSecretBox(KEY).open(SEALED_PREFIX + raw.toString("base64"), "users.totp_secret:1"))).toBe(cannot);
    expect(thrown(() => createSecretBox(KEY).open(`${SEALED_PREFIX}short`, "users.totp_secret:1"))).toBe(cannot);
  });

  test("one box per config object", () => {
    const config = { secretKey: KEY };
    expect(secretBoxOf(config)).toBe(secretBoxOf(config));
    expect(secretBoxOf({}).encrypting).toBe(false);
  });
});
