// Password hashing (Argon2id through Bun.password) and the strength rule Defguard applies to passwords.
// The parameters are OWASP's recommended minimum for Argon2id: 19 MiB of memory, 2 passes, 1 lane.

export const ARGON2_PARAMS = { algorithm: "argon2id", memoryCost: 19_456, timeCost: 2 } as const;
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

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

/**
 * Null when `password` is strong enough: 8 to 128 characters with a lowercase and an uppercase letter,
 * a digit and an ASCII punctuation character; otherwise what is missing, as a user may read it.
 */
export function passwordWeakness(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (password.length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const missing: string[] = [];
  if (!/[a-z]/.test(password)) missing.push("a lowercase letter");
  if (!/[A-Z]/.test(password)) missing.push("an uppercase letter");
  if (!/[0-9]/.test(password)) missing.push("a digit");
  if (!/[!-/:-@[-`{-~]/.test(password)) missing.push("a special character");
  return missing.length ? `password must contain ${missing.join(", ")}` : null;
}
