// Telling the user, once per episode, that wrong desktop-client MFA codes are being sent for their device:
// a mail queued in the finish's own transaction (so it exists exactly when the count that began the block
// was committed), and what the audit trail and the log say.
import type { DeviceInfo__Output } from "../../../proto/generated/defguard/proxy/DeviceInfo.ts";
import * as templates from "../../mail/templates.tsx";
import { mailInsert } from "../../mail/outbox.ts";
import { mergeSmtpSettings } from "../../mail/smtp-settings.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import type { MfaUser } from "../../mfa/user-mfa.ts";
import { getSettingsRow } from "../../store/settings.ts";
import type { Queryable } from "../../store/queryable.ts";
import type { ClientMfaDeps } from "./messages.ts";
import type { ThrottleTarget } from "./throttle.ts";

/** What happened, for the log and the audit trail once the transaction committed. */
export interface GuessingReport {
  username: string;
  deviceName: string;
  locationName: string;
  /** Wrong codes this episode, over all of the user's devices and locations. */
  failures: number;
  mailed: boolean;
}

/** Queues the mail (when mail is configured) on `tx` and returns what to log and audit. */
export async function reportGuessing(
  deps: ClientMfaDeps,
  tx: Queryable,
  user: MfaUser,
  target: ThrottleTarget,
  failures: number,
  deviceInfo: DeviceInfo__Output | undefined,
): Promise<GuessingReport> {
  const [names] = await tx<{ device: string; location: string }[]>`
    SELECT d.name AS device, n.name AS location FROM devices d, networks n WHERE d.id = ${target.deviceId} AND n.id = ${target.networkId}`;
  const settings = await getSettingsRow(tx);
  const report = { username: user.username, deviceName: names?.device ?? "", locationName: names?.location ?? "", failures, mailed: false };
  if (mergeSmtpSettings(deps.config.smtp, settings) === null) return report;
  const content = templates.mfaGuessing({
    instanceName: settings.instance_name,
    firstName: user.first_name,
    deviceName: report.deviceName,
    locationName: report.locationName,
    failures,
    at: new Date(),
    ...(deviceInfo?.ip_address ? { ipAddress: deviceInfo.ip_address } : {}),
  });
  await mailInsert(tx, { to: user.email, ...content }, { secrets: secretBoxOf(deps.config) });
  return { ...report, mailed: true };
}
