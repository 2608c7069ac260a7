// The enrollment settings the pages show, enforced by the Core (issue 14, item 5): whoever calls the link
// directly meets the same rules as the pages' user. "MFA required" and "VPN setup not optional" are
// checked at activation (the last step, which spends the token); "only client activation" refuses every
// step that changes something to a caller that is not the Defguard desktop client.
import type { DeviceInfo__Output } from "../../../proto/generated/defguard/proxy/DeviceInfo.ts";
import { failedPrecondition, permissionDenied } from "../../../shared/errors.ts";
import type { Settings } from "../../store/settings.ts";

export const ENROLLMENT_POLICY_MESSAGES = {
  /** PERMISSION_DENIED (HTTP 403). */
  desktopClientOnly: "this server enrolls only through the Defguard desktop client: add the instance there with your enrollment token",
  /** FAILED_PRECONDITION (HTTP 428): the request is well formed, the enrollment is not complete yet. */
  mfaRequired: "two-factor authentication is required: set up TOTP or email codes before activating your account",
  deviceRequired: "a VPN device is required: add a device before activating your account",
} as const;

/** Semantic version, as the desktop client sends its own (Defguard parses it with semver). */
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Whether the request came from the Defguard desktop client: it names its version (header
 * `defguard-client-version`, carried in device_info.version), as Defguard's Core tells its clients apart.
 * A declaration, not a proof: anyone can send the header, so this is a policy on the usual path, not a
 * security boundary.
 */
export function isDesktopClient(deviceInfo: DeviceInfo__Output | undefined): boolean {
  return SEMVER.test(deviceInfo?.version?.trim() ?? "");
}

/** PERMISSION_DENIED when only the desktop client may enroll and this is not it. */
export function requireAllowedClient(settings: Pick<Settings, "only_client_activation">, deviceInfo: DeviceInfo__Output | undefined): void {
  if (settings.only_client_activation && !isDesktopClient(deviceInfo)) throw permissionDenied(ENROLLMENT_POLICY_MESSAGES.desktopClientOnly);
}

/** What activation checks besides the session: the settings, and what the user has done so far. */
export interface ActivationState extends Pick<Settings, "enrollment_mfa_required" | "enrollment_vpn_step_optional" | "only_client_activation"> {
  mfa_enabled: boolean;
  /** A device was added in this enrollment session. */
  device_added: boolean;
}

/** Throws the first rule activation breaks: the client, then MFA, then the VPN device. */
export function requireActivationAllowed(state: ActivationState, deviceInfo: DeviceInfo__Output | undefined): void {
  requireAllowedClient(state, deviceInfo);
  if (state.enrollment_mfa_required && !state.mfa_enabled) throw failedPrecondition(ENROLLMENT_POLICY_MESSAGES.mfaRequired);
  if (!state.enrollment_vpn_step_optional && !state.device_added) throw failedPrecondition(ENROLLMENT_POLICY_MESSAGES.deviceRequired);
}
