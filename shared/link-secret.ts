// The optional shared secret of the Core -> Proxy link (DEFGUARD_PROXY_SHARED_SECRET, the same on both
// sides): the Core presents it in the metadata of its call, the Proxy refuses a call without it. A lighter
// guard than mutual TLS against a stranger who reaches the gRPC port posing as a Core.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const SHARED_SECRET_VARIABLE = "DEFGUARD_PROXY_SHARED_SECRET";
/** The metadata key the Core sends the secret under. */
export const SHARED_SECRET_HEADER = "defguard-proxy-secret";
export const MIN_SHARED_SECRET_LENGTH = 32;

/** The env field, on the Core and on the Proxy alike; unset turns the guard off. */
export const sharedSecretSchema = z
  .string()
  .min(MIN_SHARED_SECRET_LENGTH, `expected a secret of at least ${MIN_SHARED_SECRET_LENGTH} characters (e.g. openssl rand -hex 32), the same on the core and the proxy`)
  .optional();

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** True when `presented` is `expected`; compared as SHA-256 digests in constant time, whatever the lengths. */
export function sharedSecretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
