import { describe, expect, test } from "bun:test";
import { HOTP, Secret, TOTP, URI } from "otpauth";
import { AppError } from "../../shared/errors.ts";
import { codeMethodOf } from "./mfa-method.ts";
import { EMAIL_CODE_PERIOD_S, TOTP_PERIOD_S, codeAt, matchCode, newCodeSecret, stepAt, totpUri } from "./one-time-codes.ts";
import { hashRecoveryCode, newRecoveryCodes, RECOVERY_CODE_COUNT } from "./recovery-codes.ts";

// RFC 6238 appendix B: the SHA-1 key "12345678901234567890", 8-digit codes; our 6 digits are their last 6.
const RFC_SECRET = new Secret({ buffer: new TextEncoder().encode("12345678901234567890").buffer as ArrayBuffer }).base32;
const RFC_VECTORS: Array<[number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
];

describe("one-time codes", () => {
  test("TOTP codes are RFC 6238's SHA-1 test vectors (last 6 digits)", () => {
    for (const [seconds, code] of RFC_VECTORS) expect(codeAt(RFC_SECRET, TOTP_PERIOD_S, seconds * 1000)).toBe(code.slice(2));
  });

  test("email codes use the same algorithm with a 60 s step", () => {
    const secret = newCodeSecret();
    const now = 1_700_000_000_000;
    expect(codeAt(secret, EMAIL_CODE_PERIOD_S, now)).toBe(HOTP.generate({ secret: Secret.fromBase32(secret), counter: Math.floor(now / 60_000) }));
  });

  test("new secrets are 160-bit base32 and differ", () => {
    const a = newCodeSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newCodeSecret()).not.toBe(a);
  });

  test("a code matches in its step and one step either side, and names the step it belongs to", () => {
    const secret = newCodeSecret();
    const now = 1_700_000_015_000;
    const step = stepAt(TOTP_PERIOD_S, now);
    for (const delta of [-1, 0, 1]) {
      const code = codeAt(secret, TOTP_PERIOD_S, now + delta * TOTP_PERIOD_S * 1000);
      expect(matchCode(secret, TOTP_PERIOD_S, code, now)).toBe(step + delta);
    }
    for (const delta of [-2, 2]) {
      const code = codeAt(secret, TOTP_PERIOD_S, now + delta * TOTP_PERIOD_S * 1000);
      if (code !== codeAt(secret, TOTP_PERIOD_S, now)) expect(matchCode(secret, TOTP_PERIOD_S, code, now)).toBeNull();
    }
  });

  test("malformed codes never match", () => {
    const secret = newCodeSecret();
    const now = Date.now();
    const code = codeAt(secret, TOTP_PERIOD_S, now);
    for (const bad of ["", "12345", "1234567", ` ${code}`, "abcdef", `${code.slice(0, 5)}x`]) expect(matchCode(secret, TOTP_PERIOD_S, bad, now)).toBeNull();
  });

  test("the otpauth URI names the instance as issuer and the user as label, and yields the same codes", () => {
    const secret = newCodeSecret();
    const uri = totpUri(secret, "Acme VPN", "alice");
    expect(uri).toBe(`otpauth://totp/Acme%20VPN:alice?issuer=Acme%20VPN&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    const parsed = URI.parse(uri) as TOTP;
    expect(parsed.issuer).toBe("Acme VPN");
    expect(parsed.label).toBe("alice");
    expect(parsed.generate({ timestamp: 1_700_000_000_000 })).toBe(codeAt(secret, TOTP_PERIOD_S, 1_700_000_000_000));
  });
});

describe("recovery codes", () => {
  test("eight distinct XXXXX-XXXXX codes, each stored as the SHA-256 of its normalized form", () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{5}-[A-HJKMNP-Z2-9]{5}$/);
    expect(hashes).toEqual(codes.map(hashRecoveryCode));
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const first = codes[0]!;
    expect(hashRecoveryCode(first.toLowerCase().replace("-", " "))).toBe(hashes[0]!);
  });
});

/** The method, or `<code>: <message>` of the error it throws. */
function mfaMethodMessage(method: number): string {
  try {
    return codeMethodOf(method);
  } catch (err) {
    return `${(err as AppError).code}: ${(err as AppError).message}`;
  }
}

describe("MFA methods", () => {
  test("TOTP and EMAIL are served; the others and unknown numbers are INVALID_ARGUMENT naming them", () => {
    expect(mfaMethodMessage(0)).toBe("totp");
    expect(mfaMethodMessage(1)).toBe("email");
    expect(mfaMethodMessage(2)).toBe("3: MFA method OIDC is not supported by this server: use TOTP or email codes");
    expect(mfaMethodMessage(3)).toBe("3: MFA method BIOMETRIC is not supported by this server: use TOTP or email codes");
    expect(mfaMethodMessage(4)).toBe("3: MFA method MOBILE_APPROVE is not supported by this server: use TOTP or email codes");
    expect(mfaMethodMessage(9)).toBe("3: unknown MFA method 9: expected TOTP (0) or EMAIL (1)");
  });
});
