// The wrong-code counts of desktop-client MFA in the database (client_mfa_throttles, migration 0008), kept
// apart from the sessions so that starting again resets nothing: one row per device and location, one per
// user. The rules are core/mfa/code-throttle.ts's; the clock is the database's.
import {
  DEVICE_FREE_FAILURES,
  type ThrottleState,
  USER_FREE_FAILURES,
  afterFailure,
  blockedForMs,
  decayed,
  freeFailuresLeft,
} from "../../mfa/code-throttle.ts";
import type { Queryable } from "../../store/queryable.ts";

/** Whose codes: the device, the location, and the device's user. */
export interface ThrottleTarget {
  userId: number;
  deviceId: number;
  networkId: number;
}

/** Both rows of a target as locked for a finish, and the database's clock then. */
export interface LockedThrottles {
  device: ThrottleState;
  user: ThrottleState;
  nowMs: number;
}

interface ThrottleRow {
  scope: string;
  failures: number;
  decay_from: Date;
  blocked_until: Date | null;
  episode_failures: number;
  episode_started_at: Date | null;
  alerted_at: Date | null;
  now: Date;
}

const deviceScope = (t: ThrottleTarget) => `device:${t.deviceId}:${t.networkId}`;
const userScope = (t: ThrottleTarget) => `user:${t.userId}`;

function toState(row: ThrottleRow): ThrottleState {
  return {
    failures: row.failures,
    decayFromMs: row.decay_from.getTime(),
    blockedUntilMs: row.blocked_until?.getTime() ?? null,
    episodeFailures: row.episode_failures,
    episodeStartedMs: row.episode_started_at?.getTime() ?? null,
    alerted: row.alerted_at !== null,
  };
}

/**
 * Both rows of `t`, made when missing and locked until the caller's transaction ends (device row first,
 * so concurrent finishes of one user take the user row in the same order and never deadlock).
 */
export async function lockThrottles(q: Queryable, t: ThrottleTarget): Promise<LockedThrottles> {
  const rows = await q<ThrottleRow[]>`
    INSERT INTO client_mfa_throttles (scope, user_id, device_id, network_id)
    VALUES (${deviceScope(t)}, ${t.userId}, ${t.deviceId}, ${t.networkId}), (${userScope(t)}, ${t.userId}, NULL, NULL)
    ON CONFLICT (scope) DO UPDATE SET scope = EXCLUDED.scope
    RETURNING scope, failures, decay_from, blocked_until, episode_failures, episode_started_at, alerted_at, now() AS now`;
  const byScope = new Map(rows.map((r) => [r.scope, r]));
  return { device: toState(byScope.get(deviceScope(t))!), user: toState(byScope.get(userScope(t))!), nowMs: rows[0]!.now.getTime() };
}

/** How long `t` must still wait before a code is taken (0: not blocked); reads without locking. */
export async function blockedFor(q: Queryable, t: ThrottleTarget): Promise<number> {
  const [row] = await q<{ ms: number | null }[]>`
    SELECT (extract(epoch FROM max(blocked_until) - now()) * 1000)::float8 AS ms
    FROM client_mfa_throttles WHERE scope IN (${deviceScope(t)}, ${userScope(t)})`;
  return Math.max(0, row?.ms ?? 0);
}

/** How long the locked rows must still wait before a code is taken (0: not blocked). */
export function lockedBlockMs(locked: LockedThrottles): number {
  return Math.max(blockedForMs(locked.device, locked.nowMs), blockedForMs(locked.user, locked.nowMs));
}

/** What a wrong code changed: the rows' new states, and whether it began an episode's first block. */
export interface CountedFailure {
  device: ThrottleState;
  user: ThrottleState;
  /** Wrong codes left before the first block in either scope. */
  freeLeft: number;
  /** The wait this code earned (0 when none). */
  blockedMs: number;
  /** True once per episode: the first block; the caller reports it (mail, audit) and the row remembers. */
  report: boolean;
}

async function storeState(q: Queryable, scope: string, s: ThrottleState): Promise<void> {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  await q`
    UPDATE client_mfa_throttles
    SET failures = ${s.failures}, decay_from = ${at(s.decayFromMs)}, blocked_until = ${at(s.blockedUntilMs)},
        episode_failures = ${s.episodeFailures}, episode_started_at = ${at(s.episodeStartedMs)}, last_failure_at = now(),
        alerted_at = CASE WHEN ${s.alerted} THEN coalesce(alerted_at, now()) END
    WHERE scope = ${scope}`;
}

/** Counts a wrong code against both locked rows of `t`. */
export async function countFailure(q: Queryable, t: ThrottleTarget, locked: LockedThrottles): Promise<CountedFailure> {
  const now = locked.nowMs;
  const device = afterFailure(locked.device, now, DEVICE_FREE_FAILURES);
  let user = afterFailure(locked.user, now, USER_FREE_FAILURES);
  const blockedMs = Math.max(blockedForMs(device, now), blockedForMs(user, now));
  const report = blockedMs > 0 && !user.alerted;
  if (report) user = { ...user, alerted: true };
  await storeState(q, deviceScope(t), device);
  await storeState(q, userScope(t), user);
  const freeLeft = Math.min(freeFailuresLeft(device, now, DEVICE_FREE_FAILURES), freeFailuresLeft(user, now, USER_FREE_FAILURES));
  return { device, user, freeLeft, blockedMs, report };
}

/** One row as an admin reads it: counts as of now, a block only while it lasts. */
export interface ThrottleView {
  failures: number;
  episode_failures: number;
  episode_started_at: Date | null;
  last_failure_at: Date | null;
  blocked_until: Date | null;
  alerted_at: Date | null;
}

export interface DeviceThrottleView extends ThrottleView {
  device_id: number;
  device_name: string;
  pubkey: string;
  location_id: number;
  location_name: string;
}

/** The wrong-code state of `username`'s rows (GET /api/v1/user/{username}/mfa-failures); undefined: no such user. */
export async function userThrottles(q: Queryable, username: string): Promise<{ user: ThrottleView | null; devices: DeviceThrottleView[] } | undefined> {
  const [found] = await q<{ id: number }[]>`SELECT id FROM users WHERE username = ${username}`;
  if (!found) return undefined;
  const rows = await q<(ThrottleRow & { last_failure_at: Date | null; device_id: number | null; device_name: string; pubkey: string; location_id: number; location_name: string })[]>`
    SELECT t.scope, t.failures, t.decay_from, t.blocked_until, t.episode_failures, t.episode_started_at, t.alerted_at, t.last_failure_at, now() AS now,
           t.device_id, d.name AS device_name, d.pubkey, t.network_id AS location_id, n.name AS location_name
    FROM client_mfa_throttles t LEFT JOIN devices d ON d.id = t.device_id LEFT JOIN networks n ON n.id = t.network_id
    WHERE t.user_id = ${found.id} ORDER BY t.device_id NULLS FIRST, t.network_id`;
  const view = (row: ThrottleRow & { last_failure_at: Date | null }): ThrottleView => {
    const now = row.now.getTime();
    const s = decayed(toState(row), now);
    const blocked = blockedForMs(s, now) > 0;
    return {
      failures: s.failures,
      episode_failures: s.episodeFailures,
      episode_started_at: s.episodeStartedMs === null ? null : new Date(s.episodeStartedMs),
      last_failure_at: row.last_failure_at,
      blocked_until: blocked ? new Date(s.blockedUntilMs!) : null,
      alerted_at: s.alerted ? row.alerted_at : null,
    };
  };
  const userRow = rows.find((r) => r.device_id === null);
  const devices = rows
    .filter((r) => r.device_id !== null)
    .map((r) => ({ device_id: r.device_id!, device_name: r.device_name, pubkey: r.pubkey, location_id: r.location_id, location_name: r.location_name, ...view(r) }));
  return { user: userRow ? view(userRow) : null, devices };
}
