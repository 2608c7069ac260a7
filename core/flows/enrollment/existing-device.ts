// `existing_device` (HTTP network_info): a desktop client that already holds a key registered as one of
// the token user's devices gets that device's configuration again and a new polling token (the old one
// stops working).
import type { DeviceInfo__Output } from "../../../proto/generated/defguard/proxy/DeviceInfo.ts";
import type { ExistingDevice__Output } from "../../../proto/generated/defguard/proxy/ExistingDevice.ts";
import { notFound } from "../../../shared/errors.ts";
import type { ResponseBody } from "../../dispatcher.ts";
import { inOrder, pipelinedTransaction } from "../../store/pipelined-transaction.ts";
import type { Queryable } from "../../store/queryable.ts";
import { type SettingsRow, settingsColumns } from "../../store/settings.ts";
import { generateToken } from "../../tokens.ts";
import { type DeviceRecord, instanceInfoFrom, loadDeviceConfigs } from "../instance-info.ts";
import { type TokenState, acceptSession, tokenHashOf, tokenStateColumns } from "../token-session.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { DEVICE_MESSAGES, parsePublicKey } from "./device-input.ts";
import { storePollingToken } from "./polling-token.ts";
import { requireAllowedClient } from "./enrollment-policy.ts";
import { ENROLLMENT_SESSION } from "./session.ts";

/** The token, its user's name, the settings, and the user's device with the key sent (if any): one statement. */
interface ExistingDeviceCheck extends TokenState, SettingsRow {
  username: string;
  device: DeviceRecord | null;
}

async function readExistingDeviceCheck(tx: Queryable, deps: EnrollmentDeps, request: ExistingDevice__Output) {
  const [row] = await tx<ExistingDeviceCheck[]>`
    SELECT ${tokenStateColumns(tx, ENROLLMENT_SESSION, deps.config)}, u.username, ${settingsColumns(tx)},
           (SELECT json_build_object('id', d.id, 'name', d.name, 'pubkey', d.pubkey, 'user_id', d.user_id,
                                     'created_at', floor(extract(epoch FROM d.created_at))::bigint)
            FROM devices d WHERE d.pubkey = ${request.pubkey ?? ""} AND d.user_id = u.id) AS device
    FROM tokens t JOIN users u ON u.id = t.user_id CROSS JOIN settings s
    WHERE t.token_hash = ${tokenHashOf(ENROLLMENT_SESSION, request.token)} AND s.id = 1`;
  return row;
}

/**
 * Checks the session, the client (only the desktop client when so set, PERMISSION_DENIED), then the key's shape (INVALID_ARGUMENT), then that the key belongs to a device of
 * the token's user: another user's device is NOT_FOUND exactly like an unknown key, so the answer does
 * not tell whether a key is registered elsewhere.
 */
export async function existingDevice(deps: EnrollmentDeps, request: ExistingDevice__Output, deviceInfo: DeviceInfo__Output | undefined): Promise<ResponseBody> {
  // Two round trips: [BEGIN, check], [polling token, configs, COMMIT].
  const response = await pipelinedTransaction(deps.sql, async ({ tx, commit }) => {
    const check = await readExistingDeviceCheck(tx, deps, request);
    acceptSession(ENROLLMENT_SESSION, check);
    requireAllowedClient(check!, deviceInfo);
    parsePublicKey(request.pubkey);
    const device = check!.device;
    if (!device) throw notFound(DEVICE_MESSAGES.deviceNotFound);
    const pollingToken = generateToken();
    const [, configs] = await inOrder([storePollingToken(tx, device.id, pollingToken), loadDeviceConfigs(tx, device.id), commit()] as const);
    return { device, configs, instance: instanceInfoFrom(deps.config, check!, check!.username), token: pollingToken };
  });
  return { device_config: response };
}
