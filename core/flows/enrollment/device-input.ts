// What a user may send to register a device: a name and a WireGuard public key. Pure checks; the
// database decides uniqueness.
import { invalidArgument } from "../../../shared/errors.ts";
import { isWireguardKey } from "../../wireguard/keys.ts";

export const DEVICE_NAME_MAX_LENGTH = 64;

export const DEVICE_MESSAGES = {
  nameRequired: "device name is required",
  nameTooLong: `device name must be at most ${DEVICE_NAME_MAX_LENGTH} characters long`,
  nameControlCharacters: "device name must not contain control characters such as line breaks",
  /** INVALID_ARGUMENT: the HTTP map has no ALREADY_EXISTS, and the user can pick another name. */
  nameTaken: "device name already in use: choose another name",
  pubkeyInvalid: "invalid public key: expected a WireGuard public key (44 characters of base64, 32 bytes)",
  pubkeyTaken: "public key already in use: generate a new key pair for this device",
  /** NOT_FOUND, never PERMISSION_DENIED: another user's device is indistinguishable from none. */
  deviceNotFound: "device not found: register this device first",
  adminOnly: "only administrators may add devices: ask your administrator to add this device",
  /** FAILED_PRECONDITION (HTTP 428): settings.max_devices_per_user. */
  limitReached: (max: number) => `you already have ${max} device${max === 1 ? "" : "s"}, the most allowed: remove one or ask your administrator`,
} as const;

/** The name trimmed; throws INVALID_ARGUMENT when empty, too long or holding control characters. */
export function parseDeviceName(input: string | undefined): string {
  const name = (input ?? "").trim();
  if (!name) throw invalidArgument(DEVICE_MESSAGES.nameRequired);
  if ([...name].length > DEVICE_NAME_MAX_LENGTH) throw invalidArgument(DEVICE_MESSAGES.nameTooLong);
  if (/\p{Cc}/u.test(name)) throw invalidArgument(DEVICE_MESSAGES.nameControlCharacters);
  return name;
}

/** The key exactly as sent: standard padded base64 of 32 bytes, nothing trimmed; else INVALID_ARGUMENT. */
export function parsePublicKey(input: string | undefined): string {
  if (!input || !isWireguardKey(input)) throw invalidArgument(DEVICE_MESSAGES.pubkeyInvalid);
  return input;
}
