// Hooks other parts of the Core (mail) attach to enrollment: called after the change is committed, never
// awaited, and a hook that throws or rejects only leaves a log line; the user's request has succeeded.
import type { DeviceInfo__Output } from "../../../proto/generated/defguard/proxy/DeviceInfo.ts";
import type { Logger } from "../../../shared/logger.ts";
import type { SettingsRow } from "../../store/settings.ts";

export interface EnrolledUser {
  id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
}

/** The admin who issued the token (or, when that one is gone, the first member of `admin`). */
export interface EnrollmentAdmin {
  name: string;
  email: string;
}

export interface AddedDevice {
  id: number;
  name: string;
  pubkey: string;
  /** Each network the device got addresses in, `assigned_ip` comma-separated. */
  networks: Array<{ network_id: number; network_name: string; assigned_ip: string }>;
}

/**
 * Events carry `settings`: the settings row as the request read it, so that a hook (mail: is SMTP
 * configured, the instance's name) need not read it again.
 */
export interface EnrollmentEvents {
  /** A user set their password through enrollment. */
  onUserActivated?(event: { user: EnrolledUser; admin?: EnrollmentAdmin; deviceInfo?: DeviceInfo__Output; settings?: SettingsRow }): unknown;
  /** A user registered a device through enrollment (or the desktop client's enrollment). */
  onDeviceAdded?(event: { user: EnrolledUser; device: AddedDevice; deviceInfo?: DeviceInfo__Output; settings?: SettingsRow }): unknown;
}

/** Calls the hook `name` of `events` (if any) without waiting; a throw or a rejection is logged only. */
export function notify<K extends keyof EnrollmentEvents>(
  log: Logger,
  events: EnrollmentEvents | undefined,
  name: K,
  event: Parameters<NonNullable<EnrollmentEvents[K]>>[0],
): void {
  if (!events?.[name]) return;
  const report = (err: unknown) => log.warn(`enrollment hook ${name} failed`, { error: err instanceof Error ? err.message : String(err) });
  try {
    const result = (events[name] as (e: typeof event) => unknown).call(events, event);
    if (result instanceof Promise) result.catch(report);
  } catch (err) {
    report(err);
  }
}
