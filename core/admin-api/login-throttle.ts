// The admin API's guard against password and code guessing: failures counted per account and per client
// address in the database (every core sees them), attempts in flight counted in this process, and a 429
// with Retry-After while either is over its limit. Unknown login names are counted like accounts and get
// the same answers, so the 429 tells nothing about which accounts exist.
import ipaddr from "ipaddr.js";
import { AppError, GrpcStatus } from "../../shared/errors.ts";
import { clearFailures, readFailureStreaks, recordFailure } from "../store/login-failures.ts";
import type { Queryable } from "../store/queryable.ts";
import { hashToken } from "../tokens.ts";
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, attemptsAllowed, lockedForMs, streakMemory } from "./login-throttle-policy.ts";

export const THROTTLED_MESSAGE = "too many failed login attempts: try again later";
/** IPv6 clients are counted by their /64: one host usually holds a whole /64. */
const IPV6_PREFIX_BITS = 64;

/** 429 with the seconds to wait, which the error edge sends as Retry-After. */
export class LoginThrottledError extends AppError {
  constructor(readonly retryAfterS: number) {
    super(GrpcStatus.RESOURCE_EXHAUSTED, THROTTLED_MESSAGE);
    this.name = "LoginThrottledError";
  }
}

export interface ThrottleKey {
  key: string;
  limit: number;
  /** Forgotten when the attempt succeeds: true for an account, false for an address. */
  clearOnSuccess: boolean;
}

/** An existing account by id; a name that is no account by its hash (a password typed as name is not stored). */
export function accountKey(userId: number | null, login: string): ThrottleKey {
  const key = userId === null ? `login:${hashToken(login.toLowerCase())}` : `user:${userId}`;
  return { key, limit: ACCOUNT_FAILURE_LIMIT, clearOnSuccess: true };
}

/** The client's address (IPv4-mapped IPv6 as IPv4, other IPv6 by /64); none when unknown. */
export function addressKey(address: string | null): ThrottleKey[] {
  if (!address || !ipaddr.isValid(address)) return [];
  let ip = ipaddr.process(address);
  const text = ip.kind() === "ipv6" ? `${ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/${IPV6_PREFIX_BITS}`).toString()}/${IPV6_PREFIX_BITS}` : ip.toString();
  return [{ key: `address:${text}`, limit: ADDRESS_FAILURE_LIMIT, clearOnSuccess: false }];
}

export interface LoginAttempt {
  /** Counts a failure on every key. */
  fail(): Promise<void>;
  /** Forgets the account's streak: the user proved who they are. */
  succeed(): Promise<void>;
  /** Ends the attempt in flight; call it in a `finally`, whatever the outcome. */
  end(): void;
}

export interface LoginThrottle {
  /** Throws LoginThrottledError when a key is locked or has all its attempts in flight. */
  begin(keys: ThrottleKey[]): Promise<LoginAttempt>;
}

/** `now` is the clock (tests move it); the in-flight counts live in the returned object. */
export function createLoginThrottle(sql: Queryable, now: () => number = Date.now): LoginThrottle {
  /** Attempts under way in this process, by key. */
  const inFlight = new Map<string, number>();
  const take = (key: string, delta: number) => {
    const count = (inFlight.get(key) ?? 0) + delta;
    if (count > 0) inFlight.set(key, count);
    else inFlight.delete(key);
  };

  return {
    async begin(keys) {
      const nowMs = now();
      const streaks = await readFailureStreaks(sql, keys.map((k) => k.key));
      let waitMs = 0;
      let busy = false;
      for (const { key, limit } of keys) {
        const streak = streaks.get(key);
        waitMs = Math.max(waitMs, lockedForMs(streak, limit, nowMs));
        if ((inFlight.get(key) ?? 0) >= attemptsAllowed(streak, limit, nowMs)) busy = true;
      }
      if (waitMs > 0 || busy) throw new LoginThrottledError(Math.max(1, Math.ceil(waitMs / 1000)));
      for (const { key } of keys) take(key, 1);
      let ended = false;
      return {
        async fail() {
          for (const { key, limit } of keys) await recordFailure(sql, key, streakMemory(limit), now());
        },
        async succeed() {
          for (const { key, clearOnSuccess } of keys) if (clearOnSuccess) await clearFailures(sql, key);
        },
        end() {
          if (ended) return;
          ended = true;
          for (const { key } of keys) take(key, -1);
        },
      };
    },
  };
}
