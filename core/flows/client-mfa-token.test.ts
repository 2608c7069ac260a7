import { describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createLogger } from "../../shared/logger.ts";
import { dispatch } from "../dispatcher.ts";
import { createClientMfaTokenHandlers, createClientMfaTokens } from "./client-mfa-token.ts";

const SECRET = "a-test-secret-of-at-least-32-characters!";
const claims = { pubkey: "x".repeat(43) + "=", locationId: 3, method: 0 };
const log = createLogger({ level: "error", format: "text", target: "test", write: () => {} });

describe("client MFA tokens", () => {
  test("a signed token verifies to its claims", async () => {
    const tokens = createClientMfaTokens(SECRET);
    const token = await tokens.signClientMfaToken(claims);
    expect(await tokens.verifyClientMfaToken(token)).toEqual(claims);
  });

  test("the same secret on another core accepts the token; another secret does not", async () => {
    const token = await createClientMfaTokens(SECRET).signClientMfaToken(claims);
    expect(await createClientMfaTokens(SECRET).verifyClientMfaToken(token)).toEqual(claims);
    expect(await createClientMfaTokens(`${SECRET}-other`).verifyClientMfaToken(token)).toBeNull();
    expect(await createClientMfaTokens().verifyClientMfaToken(token)).toBeNull();
  });

  test("an expired, tampered, foreign-audience or malformed token is refused", async () => {
    const tokens = createClientMfaTokens(SECRET);
    const expired = await tokens.signClientMfaToken(claims, -10);
    expect(await tokens.verifyClientMfaToken(expired)).toBeNull();
    const good = await tokens.signClientMfaToken(claims);
    const [h, p, s] = good.split(".");
    const tamperedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), location_id: 4 })).toString("base64url");
    expect(await tokens.verifyClientMfaToken(`${h}.${tamperedPayload}.${s}`)).toBeNull();
    const otherAudience = await new SignJWT({ location_id: 3, method: 0 })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("defguard")
      .setAudience("something-else")
      .setSubject(claims.pubkey)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(SECRET));
    expect(await tokens.verifyClientMfaToken(otherAudience)).toBeNull();
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${p}.`;
    for (const bad of ["", "abc", "a.b.c", "x".repeat(5000), `${h}.${p}.`, `${h}.${p}`, unsigned, `${h}.${p}.${s}.${s}`]) {
      expect(await tokens.verifyClientMfaToken(bad)).toBeNull();
    }
  });

  test("client_mfa_token_validation answers token_valid true or false with the request's id", async () => {
    const tokens = createClientMfaTokens(SECRET);
    const handlers = createClientMfaTokenHandlers(tokens);
    const token = await tokens.signClientMfaToken(claims);
    const valid = await dispatch({ id: 11, device_info: null, payload: "client_mfa_token_validation", client_mfa_token_validation: { token } }, handlers, log);
    expect(valid).toEqual({ id: 11, client_mfa_token_validation: { token_valid: true } });
    const invalid = await dispatch({ id: 12, device_info: null, payload: "client_mfa_token_validation", client_mfa_token_validation: { token: "nope" } }, handlers, log);
    expect(invalid).toEqual({ id: 12, client_mfa_token_validation: { token_valid: false } });
  });
});
