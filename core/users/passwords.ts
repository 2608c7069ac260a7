// Password hashing (Argon2id through Bun.password); the strength rule lives in core/password-policy.ts.
// The parameters are Bun.password's own defaults, 64 MiB of memory, 2 passes, 1 lane: stronger than
// OWASP's minimum (19 MiB, 2 passes), which Defguard uses. A hash costs about 70 ms of CPU here and 64 MiB
// while it runs (16 asked for at once took 160-230 MB more on two cores): a login or an activation that
// a person does not notice, and still ~25 enrollments/s on two cores. Hashes made with other settings
// still verify, and are replaced at the next login (needsRehash).

export const ARGON2_PARAMS = { algorithm: "argon2id", memoryCost: 65_536, timeCost: 2 } as const;

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

const ARGON2ID_PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=\d+\$/;

/**
 * True when a stored hash is weaker than ARGON2_PARAMS would make it (fewer KiB or passes, another
 * algorithm such as bcrypt, another Argon2 variant or version): it is replaced at the next login.
 */
export function needsRehash(hash: string): boolean {
  const match = ARGON2ID_PHC.exec(hash);
  if (!match) return true;
  return Number(match[1]) < ARGON2_PARAMS.memoryCost || Number(match[2]) < ARGON2_PARAMS.timeCost;
}
