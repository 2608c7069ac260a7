// What a device learns about this Defguard instance and its networks: InstanceInfo and the
// DeviceConfigResponse answered by enrollment (`new_device`, `existing_device`) and later by polling.
import type { CoreConfig } from "../config.ts";
import type { Queryable } from "../store/queryable.ts";
import type { Settings } from "../store/settings.ts";
import { joinCsv, renderDeviceConfig, formatEndpoint } from "../wireguard/device-config.ts";
import type { DeviceConfig } from "../../proto/generated/defguard/proxy/DeviceConfig.ts";
import type { DeviceConfigResponse } from "../../proto/generated/defguard/proxy/DeviceConfigResponse.ts";
import type { InstanceInfo } from "../../proto/generated/defguard/proxy/InstanceInfo.ts";
import { LocationMfaMode, type LocationMfaMode__Output } from "../../proto/generated/defguard/proxy/LocationMfaMode.ts";
import { ServiceLocationMode } from "../../proto/generated/defguard/proxy/ServiceLocationMode.ts";
import { ClientTrafficPolicy } from "../../proto/generated/defguard/proxy/ClientTrafficPolicy.ts";

/** `networks.mfa_mode` as the desktop client's enum. */
const LOCATION_MFA_MODE: Record<string, LocationMfaMode__Output> = {
  disabled: LocationMfaMode.LOCATION_MFA_MODE_DISABLED,
  internal: LocationMfaMode.LOCATION_MFA_MODE_INTERNAL,
  external: LocationMfaMode.LOCATION_MFA_MODE_EXTERNAL,
};

/** What InstanceInfo takes from the settings row. */
export type InstanceSettings = Pick<Settings, "instance_id" | "instance_name">;

/** A device as the wire carries it, `created_at` in Unix seconds. */
export interface DeviceRecord {
  id: number;
  name: string;
  pubkey: string;
  user_id: number;
  created_at: number;
}

/** One network a device is in, with the device's addresses there (one per CIDR of the network). */
export interface DeviceNetworkRow {
  id: number;
  name: string;
  endpoint: string;
  port: number;
  pubkey: string;
  dns: string | null;
  allowed_ips: string[];
  keepalive_interval: number;
  mfa_mode: string;
  addresses: string[];
}

/**
 * A URL as Defguard's Core serializes one (Rust's `Url`): a bare host gets its path `/`. The desktop
 * client appends `api/v1/client-mfa/start` to `proxy_url` without a slash of its own.
 */
function serializedUrl(url: string): string {
  return new URL(url).href;
}

/** The InstanceInfo for `username` from the settings row: this instance's id and name, the Core's and the Proxy's URLs. */
export function instanceInfoFrom(config: CoreConfig, settings: InstanceSettings | undefined, username: string): InstanceInfo {
  return {
    id: settings?.instance_id ?? "",
    name: settings?.instance_name ?? "Defguard",
    url: serializedUrl(config.url),
    proxy_url: serializedUrl(config.enrollmentUrl),
    username,
    enterprise_enabled: false,
    disable_all_traffic: false,
    client_traffic_policy: ClientTrafficPolicy.NONE,
  };
}

/** The InstanceInfo for `username`, reading the settings row; see instanceInfoFrom. */
export async function loadInstanceInfo(db: Queryable, config: CoreConfig, username: string): Promise<InstanceInfo> {
  const [settings] = await db<InstanceSettings[]>`
    SELECT instance_id::text AS instance_id, instance_name FROM settings WHERE id = 1`;
  return instanceInfoFrom(config, settings, username);
}

export function toDeviceConfig(row: DeviceNetworkRow): DeviceConfig {
  const mfaMode = LOCATION_MFA_MODE[row.mfa_mode] ?? LocationMfaMode.LOCATION_MFA_MODE_DISABLED;
  return {
    network_id: row.id,
    network_name: row.name,
    config: renderDeviceConfig({
      addresses: row.addresses,
      dns: row.dns,
      networkPublicKey: row.pubkey,
      allowedIps: row.allowed_ips,
      endpointHost: row.endpoint,
      port: row.port,
      keepaliveInterval: row.keepalive_interval,
    }),
    endpoint: formatEndpoint(row.endpoint, row.port),
    assigned_ip: joinCsv(row.addresses),
    pubkey: row.pubkey,
    allowed_ips: joinCsv(row.allowed_ips),
    ...(row.dns?.trim() ? { dns: row.dns.trim() } : {}),
    mfa_enabled: mfaMode !== LocationMfaMode.LOCATION_MFA_MODE_DISABLED,
    keepalive_interval: row.keepalive_interval,
    location_mfa_mode: mfaMode,
    service_location_mode: ServiceLocationMode.SERVICE_LOCATION_MODE_DISABLED,
  };
}

/** A DeviceConfig for every network the device has addresses in, ordered by network id. */
export async function loadDeviceConfigs(db: Queryable, deviceId: number): Promise<DeviceConfig[]> {
  const rows = await db<DeviceNetworkRow[]>`
    SELECT n.id, n.name, n.endpoint, n.port, n.pubkey, n.dns, n.allowed_ips, n.keepalive_interval, n.mfa_mode,
           array(SELECT host(a.address) FROM network_device_addresses a
                 WHERE a.network_id = nd.network_id AND a.device_id = nd.device_id
                 ORDER BY family(a.address), a.address) AS addresses
    FROM network_devices nd JOIN networks n ON n.id = nd.network_id
    WHERE nd.device_id = ${deviceId}
    ORDER BY n.id`;
  return rows.map(toDeviceConfig);
}

/** A device by id with `created_at` in Unix seconds, or undefined. */
export async function loadDevice(db: Queryable, deviceId: number): Promise<DeviceRecord | undefined> {
  const [device] = await db<DeviceRecord[]>`
    SELECT id, name, pubkey, user_id, floor(extract(epoch FROM created_at))::bigint AS created_at
    FROM devices WHERE id = ${deviceId}`;
  return device;
}

/**
 * The answer to a device asking for its configuration: the device, a config per network it is in, the
 * instance, and (when given) the polling token it should use from now on. `settings`, when the caller
 * read them already, spare reading them again.
 */
export async function buildDeviceConfigResponse(
  db: Queryable,
  config: CoreConfig,
  device: DeviceRecord,
  username: string,
  options: { pollingToken?: string; settings?: InstanceSettings } = {},
): Promise<DeviceConfigResponse> {
  const [configs, instance] = await Promise.all([
    loadDeviceConfigs(db, device.id),
    options.settings ? instanceInfoFrom(config, options.settings, username) : loadInstanceInfo(db, config, username),
  ]);
  return { device, configs, instance, ...(options.pollingToken === undefined ? {} : { token: options.pollingToken }) };
}
