// Desktop-client MFA tokens: HS256 JWTs that name the device and location of one MFA session, and the
// flow that answers `client_mfa_token_validation` (is this token genuine and unexpired?) from memory.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
import type { HandlerMap } from "../dispatcher.ts";

/** A desktop-client MFA session lives this long (WIRE.md, "Desktop-client MFA"). */
export const CLIENT_MFA_TOKEN_TTL_S = 300;
/** Tokens longer than this are not ours; rejected before any cryptography. */
const MAX_TOKEN_LENGTH = 4096;
const ISSUER = "defguard";
const AUDIENCE = "client-mfa";

/** What a token vouches for. */
export interface ClientMfaClaims {
  /** The WireGuard public key of the device (the JWT subject). */
  pubkey: string;
  locationId: number;
  /** MfaMethod number (0 TOTP, 1 email, ...). */
  method: number;
}

export interface ClientMfaTokens {
  /** Signs a token for `claims`, expiring after `ttlS` seconds (default CLIENT_MFA_TOKEN_TTL_S). */
  signClientMfaToken(claims: ClientMfaClaims, ttlS?: number): Promise<string>;
  /** The claims of a genuine, unexpired token; null for anything else (never throws). */
  verifyClientMfaToken(token: string): Promise<ClientMfaClaims | null>;
}

/**
 * A quick test that `token` carries an HS256 signature made with `secret`: the HMAC-SHA256 of its first
 * two segments, compared in constant time with the third. Not a verification (jose does that: header,
 * algorithm, claims, expiry); only a filter that lets a forged token cost a microsecond instead of the
 * tens jose spends building its error.
 */
function hs256SignatureCheck(secret: Uint8Array): (token: string) => boolean {
  return function signedBySecret(token) {
    const lastDot = token.lastIndexOf(".");
    if (lastDot <= 0) return false;
    const signature = Buffer.from(token.slice(lastDot + 1), "base64url");
    const expected = createHmac("sha256", secret).update(token.slice(0, lastDot)).digest();
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  };
}

/**
 * Token signing and checking with `secret` (DEFGUARD_AUTH_SECRET). Without one, a random secret for
 * this process: tokens then die with it, and several cores do not accept each other's.
 */
export function createClientMfaTokens(secret?: string): ClientMfaTokens {
  const raw = secret ? new TextEncoder().encode(secret) : new Uint8Array(randomBytes(32));
  // Imported once: jose would import a raw secret again on every call (a third of its cost per token).
  const keyPromise = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  const signedBySecret = hs256SignatureCheck(raw);
  return {
    async signClientMfaToken(claims, ttlS = CLIENT_MFA_TOKEN_TTL_S) {
      return new SignJWT({ location_id: claims.locationId, method: claims.method })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(claims.pubkey)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlS)
        .sign(await keyPromise);
    },
    async verifyClientMfaToken(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH) return null;
      // Forged and garbled tokens end here, in a microsecond; jose still checks every genuine one in full.
      if (!signedBySecret(token)) return null;
      try {
        const { payload } = await jwtVerify(token, await keyPromise, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
        const { sub, location_id: locationId, method } = payload;
        if (typeof sub !== "string" || typeof locationId !== "number" || typeof method !== "number") return null;
        return { pubkey: sub, locationId, method };
      } catch {
        return null;
      }
    },
  };
}

/**
 * The flow: `client_mfa_token_validation` answers whether the token is valid. With `sessionOpen` (the
 * desktop-client MFA flow's stored sessions), a genuine token is valid only while its session can still
 * be finished; without it, the signature and expiry decide alone.
 */
export function createClientMfaTokenHandlers(tokens: ClientMfaTokens, sessionOpen?: (token: string) => Promise<boolean>): HandlerMap {
  return {
    client_mfa_token_validation: async (request) => {
      const genuine = (await tokens.verifyClientMfaToken(request.token)) !== null;
      const valid = genuine && (sessionOpen === undefined || (await sessionOpen(request.token)));
      return { client_mfa_token_validation: { token_valid: valid } };
    },
  };
}
