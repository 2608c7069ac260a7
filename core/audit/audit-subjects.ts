// Who an audited request was about, found from what the request carried: an enrollment or password-reset
// token (by its hash), a desktop-client MFA token (verified: an attacker's forged claims name nobody), a
// device key or an email address. Lookups never throw: an unknown subject is null.
import type postgres from "postgres";
import type { ClientMfaTokens } from "../flows/client-mfa-token.ts";
import { hashToken } from "../tokens.ts";

export interface AuditSubjects {
  userOfToken(token: string | null | undefined): Promise<string | null>;
  userOfMfaToken(token: string | null | undefined): Promise<string | null>;
  userOfEmail(email: string | null | undefined): Promise<string | null>;
}

async function first(rows: Promise<{ username: string }[]>): Promise<string | null> {
  try {
    return (await rows)[0]?.username ?? null;
  } catch {
    return null;
  }
}

export function createAuditSubjects(sql: postgres.Sql, clientMfaTokens: ClientMfaTokens): AuditSubjects {
  return {
    async userOfToken(token) {
      if (!token) return null;
      return first(sql`SELECT u.username FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ${hashToken(token)}`);
    },
    async userOfMfaToken(token) {
      const claims = token ? await clientMfaTokens.verifyClientMfaToken(token) : null;
      if (!claims) return null;
      return first(sql`SELECT u.username FROM devices d JOIN users u ON u.id = d.user_id WHERE d.pubkey = ${claims.pubkey}`);
    },
    async userOfEmail(email) {
      if (!email || email.includes("\u0000")) return null;
      return first(sql`SELECT username FROM users WHERE lower(email) = lower(${email}) LIMIT 1`);
    },
  };
}
