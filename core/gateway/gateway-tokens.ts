// Gateway tokens: the HS256 JWTs an admin gives a gateway (GET /api/v1/network/{id}/token), with the
// claims Defguard 1.6 puts in them, so a token from either Core works with either gateway.
import { SignJWT, jwtVerify } from "jose";

const ISSUER = "DefGuard";
const SUBJECT_PREFIX = "DEFGUARD-NETWORK-";
/** Defguard's gateway tokens live for u32::MAX seconds: in practice until the secret changes. */
export const GATEWAY_TOKEN_TTL_S = 4_294_967_295;
/** Tokens longer than this are not ours; refused before any cryptography. */
const MAX_TOKEN_LENGTH = 4096;

export interface GatewayTokens {
  /** A token for network `networkId`; `nowS`/`ttlS` default to now and GATEWAY_TOKEN_TTL_S (tests vary them). */
  sign(networkId: number, options?: { nowS?: number; ttlS?: number }): Promise<string>;
  /** The network a genuine token is for (signature, issuer, nbf and exp checked); null otherwise, never throws. */
  verify(token: string): Promise<number | null>;
}

/** Tokens signed with `secret` (DEFGUARD_GATEWAY_SECRET, 32+ characters: the config checks it). */
export function createGatewayTokens(secret: string): GatewayTokens {
  const key = new TextEncoder().encode(secret);
  return {
    sign(networkId, options = {}) {
      const now = options.nowS ?? Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: String(networkId) })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(ISSUER)
        .setSubject(`${SUBJECT_PREFIX}${networkId}`)
        .setNotBefore(now)
        .setExpirationTime(now + (options.ttlS ?? GATEWAY_TOKEN_TTL_S))
        .sign(key);
    },
    async verify(token) {
      if (!token || token.length > MAX_TOKEN_LENGTH) return null;
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: ISSUER, requiredClaims: ["exp", "nbf"] });
        const clientId = payload.client_id;
        if (typeof clientId !== "string" || !/^\d{1,15}$/.test(clientId)) return null;
        return Number(clientId);
      } catch {
        return null;
      }
    },
  };
}
