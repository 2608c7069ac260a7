// Polling tokens: the bearer secret a desktop client uses to fetch its device's configuration later.
// One per device, stored as SHA-256; issuing a new one replaces (revokes) the old.
import type { Queryable } from "../../store/queryable.ts";
import { generateToken, hashToken } from "../../tokens.ts";

/** A fresh polling token for `deviceId`, replacing any previous one; returns the token in clear. */
export async function issuePollingToken(db: Queryable, deviceId: number): Promise<string> {
  const token = generateToken();
  await storePollingToken(db, deviceId, token);
  return token;
}

/** Stores `token` (made by generateToken) as the polling token of `deviceId`, replacing any previous one. */
export async function storePollingToken(db: Queryable, deviceId: number, token: string): Promise<void> {
  await pollingTokenUpsert(db, deviceId, token);
}

/** The statement storePollingToken runs, unsent: to run it, or to make it a CTE of another statement. */
export function pollingTokenUpsert(db: Queryable, deviceId: number, token: string) {
  return db`
    INSERT INTO polling_tokens (token_hash, device_id) VALUES (${hashToken(token)}, ${deviceId})
    ON CONFLICT (device_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`;
}
