// Gateway tokens carry Defguard's claims and are refused when forged, expired, not yet valid or foreign.
import { describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { GATEWAY_TOKEN_TTL_S, createGatewayTokens } from "./gateway-tokens.ts";

const SECRET = "gateway-token-unit-test-secret-0123456789";
const tokens = createGatewayTokens(SECRET);
const nowS = () => Math.floor(Date.now() / 1000);

describe("gateway tokens", () => {
  test("a signed token names its network and carries Defguard's claims", async () => {
    const token = await tokens.sign(42);
    expect(await tokens.verify(token)).toBe(42);
    const [header, payload] = token.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part!, "base64url").toString()));
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toMatchObject({ iss: "DefGuard", sub: "DEFGUARD-NETWORK-42", client_id: "42" });
    expect(payload.exp - payload.nbf).toBe(GATEWAY_TOKEN_TTL_S);
  });

  test("refused: another secret, expired, not yet valid, tampered, another issuer, no client_id, garbage", async () => {
    const key = new TextEncoder().encode(SECRET);
    const sign = (claims: Record<string, unknown>, issuer = "DefGuard") =>
      new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuer(issuer).setNotBefore(nowS()).setExpirationTime(nowS() + 60).sign(key);
    const valid = await tokens.sign(7);
    const refused = [
      await createGatewayTokens("another-secret-of-at-least-32-characters").sign(7),
      await tokens.sign(7, { nowS: nowS() - 100, ttlS: 10 }),
      await tokens.sign(7, { nowS: nowS() + 3600 }),
      `${valid.slice(0, -4)}AAAA`,
      await sign({ client_id: "7" }, "someone-else"),
      await sign({ sub: "DEFGUARD-NETWORK-7" }),
      await sign({ client_id: "seven" }),
      "not.a.token",
      "",
    ];
    for (const token of refused) expect(await tokens.verify(token)).toBeNull();
  });
});
