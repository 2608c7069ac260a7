// Rate limiting of the public API: per client address on /api (DEFGUARD_PROXY_RATELIMIT_*), and per
// secret on the endpoints that check one (DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE), keyed by the
// secret's hash, so that guessing an MFA code or replaying a token is bounded however many addresses
// the guesser has. Refusals are 429 with Retry-After and a JSON error.
import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import ipaddr from "ipaddr.js";
import type { AppEnv } from "./app-env.ts";
import { clientOf } from "./device-info.ts";
import { type BucketPolicy, TokenBuckets } from "./token-buckets.ts";

export const RATE_LIMITED_MESSAGE = "Too many requests, try again later";
export const SECRET_RATE_LIMITED_MESSAGE = "Too many attempts, try again later";
const MS_PER_MINUTE = 60_000;
/** IPv6 clients are limited per /64: one subscriber usually holds a whole /64. */
const IPV6_PREFIX_BITS = 64;

/** Reads the secret a request checks (undefined: none, the handler will refuse the request anyway). */
export type SecretReader = (c: Context<AppEnv>) => Promise<string | undefined>;

/** Defguard's settings: one request comes back every `refillSeconds`, at most `burst` at once. */
export function addressPolicy(limit: { burst: number; refillSeconds: number }): BucketPolicy {
  return { burst: limit.burst, refillMs: limit.refillSeconds * 1000 };
}

/** `attemptsPerMinute` back to back, then one more every 60/attemptsPerMinute seconds. */
export function secretPolicy(attemptsPerMinute: number): BucketPolicy {
  return { burst: attemptsPerMinute, refillMs: MS_PER_MINUTE / attemptsPerMinute };
}

/** The bucket key of a client address: an IPv4 address whole, an IPv6 address by its /64. */
export function addressKey(ip: string): string {
  if (!ip.includes(":")) return ip;
  try {
    const parts = ipaddr.IPv6.parse(ip).toByteArray().slice(0, IPV6_PREFIX_BITS / 8);
    return `${ipaddr.fromByteArray([...parts, 0, 0, 0, 0, 0, 0, 0, 0]).toString()}/${IPV6_PREFIX_BITS}`;
  } catch {
    return ip;
  }
}

function tooManyRequests(c: Context<AppEnv>, retryAfterMs: number, message: string): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return c.json({ error: message }, 429, { "Retry-After": String(seconds) });
}

/** Limits each client address (see clientAddress()) except on paths `exempt` names. */
export function addressRateLimit(policy: BucketPolicy, exempt: (path: string) => boolean): MiddlewareHandler<AppEnv> {
  const buckets = new TokenBuckets(policy);
  return async function addressRateLimit(c, next) {
    if (exempt(c.req.path)) return next();
    const taken = buckets.take(addressKey(clientOf(c).ip));
    if (!taken.allowed) return tooManyRequests(c, taken.retryAfterMs, RATE_LIMITED_MESSAGE);
    await next();
  };
}

/** Limits attempts per secret on one endpoint; `name` keeps endpoints' buckets apart. */
export function secretRateLimit(buckets: TokenBuckets, name: string, read: SecretReader): MiddlewareHandler<AppEnv> {
  return async function secretRateLimit(c, next) {
    const secret = await read(c);
    if (secret !== undefined && secret !== "") {
      const digest = createHash("sha256").update(secret, "utf8").digest("hex");
      const taken = buckets.take(`${name}:${digest}`);
      if (!taken.allowed) return tooManyRequests(c, taken.retryAfterMs, SECRET_RATE_LIMITED_MESSAGE);
    }
    await next();
  };
}

/** A SecretReader for a string field of the JSON body (the body stays readable for the handler). */
export function jsonBodyField(field: string, normalise: (value: string) => string = (v) => v): SecretReader {
  return async function readJsonField(c) {
    try {
      const body: unknown = JSON.parse(await c.req.text());
      const value = typeof body === "object" && body !== null ? (body as Record<string, unknown>)[field] : undefined;
      return typeof value === "string" ? normalise(value) : undefined;
    } catch {
      return undefined;
    }
  };
}
