// `existing_device` (HTTP network_info): a desktop client that already holds a key registered as one of
// the token user's devices gets that device's configuration again and a new polling token (the old one
// stops working).
import type { ExistingDevice__Output } from "../../../proto/generated/defguard/proxy/ExistingDevice.ts";
import { notFound } from "../../../shared/errors.ts";
import type { ResponseBody } from "../../dispatcher.ts";
import { buildDeviceConfigResponse, type DeviceRecord } from "../instance-info.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { DEVICE_MESSAGES, parsePublicKey } from "./device-input.ts";
import { loadEnrolledUser } from "./new-device.ts";
import { issuePollingToken } from "./polling-token.ts";
import { requireSession } from "./session.ts";

/**
 * Checks the session, then the key's shape (INVALID_ARGUMENT), then that the key belongs to a device of
 * the token's user: another user's device is NOT_FOUND exactly like an unknown key, so the answer does
 * not tell whether a key is registered elsewhere.
 */
export async function existingDevice(deps: EnrollmentDeps, request: ExistingDevice__Output): Promise<ResponseBody> {
  const { sql, config } = deps;
  const response = await sql.begin(async (tx) => {
    const session = await requireSession(tx, config, request.token);
    const pubkey = parsePublicKey(request.pubkey);
    const [device] = await tx<DeviceRecord[]>`
      SELECT id, name, pubkey, user_id, floor(extract(epoch FROM created_at))::bigint AS created_at
      FROM devices WHERE pubkey = ${pubkey} AND user_id = ${session.userId}`;
    if (!device) throw notFound(DEVICE_MESSAGES.deviceNotFound);
    const user = await loadEnrolledUser(tx, session.userId);
    const pollingToken = await issuePollingToken(tx, device.id);
    return buildDeviceConfigResponse(tx, config, device, user.username, pollingToken);
  });
  return { device_config: response };
}
