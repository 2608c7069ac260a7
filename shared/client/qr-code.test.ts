import { describe, expect, test } from "bun:test";
import { URI } from "otpauth";
import { totpUri } from "./qr-code.ts";

describe("totpUri", () => {
  test("an otpauth:// URI authenticator apps read back: issuer with spaces, label the login, SHA-1, 6 digits, 30 s", () => {
    const uri = totpUri("Acme VPN & Co", "alice.smith", "JBSWY3DPEHPK3PXP");
    expect(uri).toBe("otpauth://totp/Acme%20VPN%20%26%20Co:alice.smith?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20VPN%20%26%20Co&algorithm=SHA1&digits=6&period=30");
    const parsed = URI.parse(uri);
    expect(parsed.issuer).toBe("Acme VPN & Co");
    expect(parsed.label).toBe("alice.smith");
    expect(parsed.secret.base32).toBe("JBSWY3DPEHPK3PXP");
  });
});
