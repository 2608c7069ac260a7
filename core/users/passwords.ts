// Password hashing (Argon2id through Bun.password); the strength rule lives in core/password-policy.ts.
// The parameters are OWASP's recommended minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane.

export const ARGON2_PARAMS = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;

/** Compared against when there is no hash, so that an unknown user costs as much time as a known one. */
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, ARGON2_PARAMS);
}

/** False for a null hash (no password set), after spending the time a real check takes. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null) {
    dummyHash ??= hashPassword("no password is set for this account");
    await Bun.password.verify(password, await dummyHash);
    return false;
  }
  return Bun.password.verify(password, hash);
}
