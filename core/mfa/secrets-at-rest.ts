// At startup: the state of second-factor secrets at rest under DEFGUARD_SECRET_KEY (secret-box.ts). Without
// the key: a warning, and a refusal to start while some secrets are sealed (no one could use them). With
// it: a check that it opens what is sealed, then the secrets still stored as given are sealed.
import type { Logger } from "../../shared/logger.ts";
import type { Queryable } from "../store/queryable.ts";
import { SEALED_PREFIX, SECRET_BOX_MESSAGES, secretBoxOf } from "./secret-box.ts";
import type { CodeMethod } from "./one-time-codes.ts";
import { placeOf, sealStoredSecrets } from "./user-mfa.ts";

/** Stops startup: DEFGUARD_SECRET_KEY does not fit the secrets stored. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/** One sealed secret and whose it is, to try the key on; undefined when none is sealed. */
async function sealedSample(q: Queryable): Promise<{ id: number; method: CodeMethod; value: string } | undefined> {
  const [row] = await q<{ id: number; method: CodeMethod; value: string }[]>`
    (SELECT id, 'totp' AS method, totp_secret AS value FROM users WHERE totp_secret LIKE ${`${SEALED_PREFIX}%`} LIMIT 1)
    UNION ALL
    (SELECT id, 'email', email_mfa_secret FROM users WHERE email_mfa_secret LIKE ${`${SEALED_PREFIX}%`} LIMIT 1)
    LIMIT 1`;
  return row;
}

/** Throws SecretKeyError when the key is missing for sealed secrets or is not theirs; seals the rest. */
export async function prepareSecretsAtRest(q: Queryable, config: { secretKey?: string }, log: Logger): Promise<void> {
  const box = secretBoxOf(config);
  const sample = await sealedSample(q);
  if (!box.encrypting) {
    if (sample) throw new SecretKeyError(`DEFGUARD_SECRET_KEY: ${SECRET_BOX_MESSAGES.noKey}`);
    log.warn("DEFGUARD_SECRET_KEY is not set: TOTP and email-code secrets are stored in plaintext, so a copy of the database yields users' second factors, and the links of mail waiting to be sent");
    return;
  }
  if (sample) {
    try {
      box.open(sample.value, placeOf(sample.method, sample.id));
    } catch {
      throw new SecretKeyError(`DEFGUARD_SECRET_KEY: ${SECRET_BOX_MESSAGES.cannotOpen}`);
    }
  }
  const sealed = await sealStoredSecrets(q, box);
  if (sealed > 0) log.info(`Encrypted ${sealed} MFA secret(s) stored before DEFGUARD_SECRET_KEY was set`);
}
