// The desktop client's polling (`instance_info`, HTTP /api/v1/poll): the polling token that `new_device`
// or `existing_device` handed out gives its device's current configuration, built as enrollment builds it.
// The token is not rotated here; `existing_device` rotating it makes the old one unknown.
import type postgres from "postgres";
import type { Logger } from "../../shared/logger.ts";
import { permissionDenied, unauthenticated } from "../../shared/errors.ts";
import type { CoreConfig } from "../config.ts";
import type { HandlerMap } from "../dispatcher.ts";
import { hashToken, looksLikeToken } from "../tokens.ts";
import { buildDeviceConfigResponse, type DeviceRecord, type InstanceSettings } from "./instance-info.ts";

/** UNAUTHENTICATED for every token that does not name a device now: missing, malformed, unknown, rotated. */
export const POLLING_MESSAGES = {
  tokenInvalid: "invalid polling token: add this instance again in the Defguard client",
  userDisabled: "your account is disabled: contact your administrator",
} as const;

export interface PollingDeps {
  config: CoreConfig;
  sql: postgres.Sql;
  log: Logger;
}

interface PolledDevice extends DeviceRecord, InstanceSettings {
  username: string;
  is_active: boolean;
}

/** Handler for instance_info. */
export function createPollingHandlers(deps: PollingDeps): HandlerMap {
  return {
    instance_info: async function instanceInfo(request) {
      const token = request.token ?? "";
      if (!looksLikeToken(token)) throw unauthenticated(POLLING_MESSAGES.tokenInvalid);
      const [device] = await deps.sql<PolledDevice[]>`
        SELECT d.id, d.name, d.pubkey, d.user_id, floor(extract(epoch FROM d.created_at))::bigint AS created_at,
               u.username, u.is_active, s.instance_id::text AS instance_id, s.instance_name
        FROM polling_tokens p JOIN devices d ON d.id = p.device_id JOIN users u ON u.id = d.user_id
             CROSS JOIN settings s
        WHERE p.token_hash = ${hashToken(token)} AND s.id = 1`;
      if (!device) throw unauthenticated(POLLING_MESSAGES.tokenInvalid);
      if (!device.is_active) throw permissionDenied(POLLING_MESSAGES.userDisabled);
      const { username, is_active: _, instance_id, instance_name, ...record } = device;
      const deviceConfig = await buildDeviceConfigResponse(deps.sql, deps.config, record, username, { settings: { instance_id, instance_name } });
      deps.log.debug(`Device ${record.name} of user ${username} polled its configuration`);
      return { instance_info: { device_config: deviceConfig } };
    },
  };
}
