// `new_device` (HTTP create_device): registers the user's WireGuard public key as a device, gives it an
// address in every network the user may use, and answers its configuration with a new polling token.
import type { DeviceConfigResponse } from "../../../proto/generated/defguard/proxy/DeviceConfigResponse.ts";
import type { NewDevice__Output } from "../../../proto/generated/defguard/proxy/NewDevice.ts";
import { failedPrecondition, invalidArgument, permissionDenied } from "../../../shared/errors.ts";
import type { RequestContext, ResponseBody } from "../../dispatcher.ts";
import { ADMIN_GROUP } from "../../store/groups.ts";
import { type Queryable, uniqueViolation } from "../../store/queryable.ts";
import { inOrder, pipelinedTransaction } from "../../store/pipelined-transaction.ts";
import { type SettingsRow, settingsColumns } from "../../store/settings.ts";
import { mailInsert } from "../../mail/outbox.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import { generateToken } from "../../tokens.ts";
import { inAddressOrder } from "../../wireguard/address-allocation.ts";
import { type DeviceRecord, instanceInfoFrom, toDeviceConfig } from "../instance-info.ts";
import { type TokenState, acceptSession, tokenAcceptedSql, tokenHashOf, tokenStateColumns } from "../token-session.ts";
import type { EnrollmentDeps } from "./deps.ts";
import { DEVICE_MESSAGES, parseDeviceName, parsePublicKey } from "./device-input.ts";
import { type CidrSearch, firstFreeSql, lockUsableNetworks, retryWhileAddressTaken, pickedAddresses, planSearches, storeAssignments } from "./network-assignment.ts";
import { requireAllowedClient } from "./enrollment-policy.ts";
import { ENROLLMENT_SESSION } from "./session.ts";

/** The token, its user, the settings and whether the key is a network's own: one statement. */
interface NewDeviceCheck extends TokenState, SettingsRow {
  id: number;
  username: string;
  email: string;
  first_name: string;
  is_admin: boolean;
  pubkey_is_network_key: boolean;
}

/** The id of the token's user when its enrollment session may be used, else NULL: for lockUsableNetworks. */
function sessionUserSql(tx: Queryable, deps: EnrollmentDeps, tokenHash: string) {
  return tx`
    SELECT state.user_id FROM (
      SELECT ${tokenStateColumns(tx, ENROLLMENT_SESSION, deps.config)}
      FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ${tokenHash}
    ) state
    WHERE ${tokenAcceptedSql(tx, ENROLLMENT_SESSION, "session")}`;
}

async function readNewDeviceCheck(tx: Queryable, deps: EnrollmentDeps, request: NewDevice__Output, tokenHash: string): Promise<NewDeviceCheck | undefined> {
  const [row] = await tx<NewDeviceCheck[]>`
    SELECT ${tokenStateColumns(tx, ENROLLMENT_SESSION, deps.config)},
           u.id, u.username, u.email, u.first_name,
           EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
                   WHERE m.user_id = u.id AND g.name = ${ADMIN_GROUP}) AS is_admin,
           EXISTS (SELECT 1 FROM networks n WHERE n.pubkey = ${request.pubkey ?? ""}) AS pubkey_is_network_key,
           ${settingsColumns(tx)}
    FROM tokens t JOIN users u ON u.id = t.user_id CROSS JOIN settings s
    WHERE t.token_hash = ${tokenHash} AND s.id = 1`;
  return row;
}

/**
 * Serializes the device additions of the session's user (`user`, sessionUserSql: nothing is locked for an
 * unusable session), so that the limit below counts what the others committed.
 */
function lockUserDevices(tx: Queryable, user: ReturnType<typeof sessionUserSql>) {
  return tx`SELECT pg_advisory_xact_lock(hashtextextended('defguard:devices-of-user:' || s.user_id, 0)) FROM (${user}) AS s(user_id)`;
}

/**
 * Inserts the device, unless the user already has `maxDevices`, and in the same statement searches each of
 * `searches` (firstFreeSql): the device, and the first free address of each search. A key used by another
 * device or a name the user already has is refused (INVALID_ARGUMENT), so is a device over the limit
 * (FAILED_PRECONDITION).
 */
async function insertDevice(tx: Queryable, userId: number, device: { name: string; pubkey: string; maxDevices: number }, searches: CidrSearch[]) {
  try {
    const [row] = await tx<(DeviceRecord & { found: string[] })[]>`
      WITH device AS (
        INSERT INTO devices (user_id, name, pubkey)
        SELECT ${userId}, ${device.name}, ${device.pubkey} WHERE (SELECT count(*) FROM devices WHERE user_id = ${userId}) < ${device.maxDevices}
        RETURNING id, name, pubkey, user_id, floor(extract(epoch FROM created_at))::bigint AS created_at
      )
      SELECT device.*, ${firstFreeSql(tx, searches)} AS found FROM device`;
    if (!row) throw failedPrecondition(DEVICE_MESSAGES.limitReached(device.maxDevices));
    const { found, ...inserted } = row;
    return { device: inserted as DeviceRecord, found };
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === "devices_pubkey_key") throw invalidArgument(DEVICE_MESSAGES.pubkeyTaken);
    if (constraint === "devices_user_id_name_key") throw invalidArgument(DEVICE_MESSAGES.nameTaken);
    throw err;
  }
}

/** What one attempt wrote and answers. */
interface CreatedDevice {
  check: NewDeviceCheck;
  device: DeviceRecord;
  response: DeviceConfigResponse;
  /** True when the "new device" mail went into the outbox with the device. */
  noticeQueued: boolean;
}

/**
 * One attempt in three round trips: [BEGIN, check, network locks and the user's device lock (taken only
 * for a usable session)],
 * [device with the address searches], [assignments with the polling token, the "new device" mail,
 * COMMIT]; the configs are built from the locked network rows.
 */
async function createDeviceOnce(deps: EnrollmentDeps, request: NewDevice__Output, context: RequestContext): Promise<CreatedDevice> {
  const { sql, config, log } = deps;
  return pipelinedTransaction(sql, async ({ tx, commit }) => {
    const tokenHash = tokenHashOf(ENROLLMENT_SESSION, request.token);
    const sessionUser = sessionUserSql(tx, deps, tokenHash);
    const [check, networks] = await inOrder([readNewDeviceCheck(tx, deps, request, tokenHash), lockUsableNetworks(tx, sessionUser), lockUserDevices(tx, sessionUser)] as const);
    const session = acceptSession(ENROLLMENT_SESSION, check);
    context.username = check!.username;
    requireAllowedClient(check!, context.deviceInfo);
    const name = parseDeviceName(request.name);
    const pubkey = parsePublicKey(request.pubkey);
    if (check!.admin_device_management && !check!.is_admin) throw permissionDenied(DEVICE_MESSAGES.adminOnly);
    if (check!.pubkey_is_network_key) throw invalidArgument(DEVICE_MESSAGES.pubkeyTaken);
    const searches = planSearches(log, networks, name);
    const { device, found } = await insertDevice(tx, session.userId, { name, pubkey, maxDevices: check!.max_devices_per_user }, searches);
    const picked = pickedAddresses(log, networks, searches, found, name);
    const pollingToken = generateToken();
    const notice = deps.notices?.deviceAdded(check!, device, context.deviceInfo, check!);
    await inOrder([storeAssignments(tx, device.id, networks, picked, pollingToken), notice && mailInsert(tx, notice, { secrets: secretBoxOf(config) }), commit()] as const);
    // What loadDeviceConfigs would read back now, from the locked rows and the addresses just stored.
    const configs = networks.flatMap((network, i) => (picked[i] ? [toDeviceConfig({ ...network, addresses: inAddressOrder(picked[i]) })] : []));
    const response = { device, configs, instance: instanceInfoFrom(config, check!, check!.username), token: pollingToken };
    return { check: check!, device, response, noticeQueued: notice !== undefined };
  });
}

/**
 * Checks in this order: session (UNAUTHENTICATED / PERMISSION_DENIED), the client (only the desktop
 * client when so set, PERMISSION_DENIED), name and key shape (INVALID_ARGUMENT), admin-only device
 * management (PERMISSION_DENIED), a full network (FAILED_PRECONDITION naming it), key and name uniqueness
 * (INVALID_ARGUMENT), the user's device limit (FAILED_PRECONDITION). All of it commits together or not at all.
 */
export async function createDevice(deps: EnrollmentDeps, request: NewDevice__Output, context: RequestContext): Promise<ResponseBody> {
  const { log } = deps;
  const { check, device, response, noticeQueued } = await retryWhileAddressTaken(log, () => createDeviceOnce(deps, request, context));
  if (noticeQueued) deps.notices?.queued();
  await deps.events?.publish({ type: "devices", deviceIds: [device.id] });
  log.info(`User ${check.username} added device ${device.name} in ${response.configs!.length} network(s)`);
  return { device_config: response };
}
