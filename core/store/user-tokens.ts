// Issuing enrollment and password-reset tokens. The token goes to the caller once; the table keeps its
// SHA-256 only. Redeeming tokens is the business of the flows that accept them.
import { generateToken, hashToken, type TokenKind } from "../tokens.ts";
import { inTransaction, type Queryable } from "./queryable.ts";

export interface IssueTokenInput {
  kind: TokenKind;
  userId: number;
  /** The admin who asked for it; null when the user asked (password reset) or the CLI did. */
  adminId: number | null;
  /** Where the token is (or would be) mailed. */
  email: string | null;
  /** Seconds until it expires unused (DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT or ..._PASSWORD_RESET_...). */
  validForS: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Deletes the user's unused tokens of this kind, then stores a new one; both or neither happen. */
export async function issueUserToken(q: Queryable, input: IssueTokenInput): Promise<IssuedToken> {
  const token = generateToken();
  return inTransaction(q, async (tx) => {
    await tx`DELETE FROM tokens WHERE user_id = ${input.userId} AND kind = ${input.kind} AND used_at IS NULL`;
    const [row] = await tx<{ expires_at: Date }[]>`
      INSERT INTO tokens (token_hash, kind, user_id, admin_id, email, expires_at)
      VALUES (${hashToken(token)}, ${input.kind}, ${input.userId}, ${input.adminId}, ${input.email},
              now() + make_interval(secs => ${input.validForS}))
      RETURNING expires_at`;
    return { token, expiresAt: row!.expires_at };
  });
}
