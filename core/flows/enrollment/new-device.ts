// `new_device` (HTTP create_device): registers the user's WireGuard public key as a device, gives it an
// address in every network the user may use, and answers its configuration with a new polling token.
import type postgres from "postgres";
import type { NewDevice__Output } from "../../../proto/generated/defguard/proxy/NewDevice.ts";
import { invalidArgument, permissionDenied } from "../../../shared/errors.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import { ADMIN_GROUP } from "../../store/groups.ts";
import { type Queryable, uniqueViolation } from "../../store/queryable.ts";
import { buildDeviceConfigResponse, type DeviceRecord } from "../instance-info.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { DEVICE_MESSAGES, parseDeviceName, parsePublicKey } from "./device-input.ts";
import { type EnrolledUser, notify } from "./events.ts";
import { assignToNetworks } from "./network-assignment.ts";
import { issuePollingToken } from "./polling-token.ts";
import { requireSession } from "./session.ts";

/** Settings may reserve device management to admins (Defguard's admin_device_management). */
async function assertMayAddDevices(tx: postgres.TransactionSql, userId: number): Promise<void> {
  const [row] = await tx<{ forbidden: boolean }[]>`
    SELECT s.admin_device_management AND NOT EXISTS (
             SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
             WHERE m.user_id = ${userId} AND g.name = ${ADMIN_GROUP}) AS forbidden
    FROM settings s WHERE s.id = 1`;
  if (row?.forbidden) throw permissionDenied(DEVICE_MESSAGES.adminOnly);
}

/** Inserts the device; a key used anywhere (devices or a network's own key) or a name the user already has is refused. */
async function insertDevice(tx: postgres.TransactionSql, userId: number, name: string, pubkey: string): Promise<DeviceRecord> {
  const [networkKey] = await tx`SELECT 1 FROM networks WHERE pubkey = ${pubkey}`;
  if (networkKey) throw invalidArgument(DEVICE_MESSAGES.pubkeyTaken);
  try {
    const [device] = await tx<DeviceRecord[]>`
      INSERT INTO devices (user_id, name, pubkey) VALUES (${userId}, ${name}, ${pubkey})
      RETURNING id, name, pubkey, user_id, floor(extract(epoch FROM created_at))::bigint AS created_at`;
    return device!;
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === "devices_pubkey_key") throw invalidArgument(DEVICE_MESSAGES.pubkeyTaken);
    if (constraint === "devices_user_id_name_key") throw invalidArgument(DEVICE_MESSAGES.nameTaken);
    throw err;
  }
}

export async function loadEnrolledUser(db: Queryable, userId: number): Promise<EnrolledUser> {
  const [user] = await db<EnrolledUser[]>`SELECT id, username, email, first_name, last_name FROM users WHERE id = ${userId}`;
  return user!;
}

/**
 * Checks in this order: session (UNAUTHENTICATED / PERMISSION_DENIED), name and key shape
 * (INVALID_ARGUMENT), admin-only device management (PERMISSION_DENIED), key and name uniqueness
 * (INVALID_ARGUMENT). All of it commits together or not at all.
 */
export async function createDevice(deps: EnrollmentDeps, request: NewDevice__Output, context: RequestContext): Promise<ResponseBody> {
  const { sql, config, log } = deps;
  const { user, device, response } = await sql.begin(async (tx) => {
    const session = await requireSession(tx, config, request.token);
    const name = parseDeviceName(request.name);
    const pubkey = parsePublicKey(request.pubkey);
    await assertMayAddDevices(tx, session.userId);
    const user = await loadEnrolledUser(tx, session.userId);
    const device = await insertDevice(tx, session.userId, name, pubkey);
    await assignToNetworks(tx, log, device, session.userId);
    const pollingToken = await issuePollingToken(tx, device.id);
    return { user, device, response: await buildDeviceConfigResponse(tx, config, device, user.username, pollingToken) };
  });
  const networks = response.configs!.map((c) => ({ network_id: Number(c.network_id), network_name: c.network_name!, assigned_ip: c.assigned_ip! }));
  log.info(`User ${user.username} added device ${device.name} in ${networks.length} network(s)`);
  notify(log, deps.events, "onDeviceAdded", { user, device: { ...device, networks }, deviceInfo: context.deviceInfo });
  return { device_config: response };
}
