// Original file: proto/proxy.proto

import type { Device as _defguard_proxy_Device, Device__Output as _defguard_proxy_Device__Output } from '../../defguard/proxy/Device';
import type { DeviceConfig as _defguard_proxy_DeviceConfig, DeviceConfig__Output as _defguard_proxy_DeviceConfig__Output } from '../../defguard/proxy/DeviceConfig';
import type { InstanceInfo as _defguard_proxy_InstanceInfo, InstanceInfo__Output as _defguard_proxy_InstanceInfo__Output } from '../../defguard/proxy/InstanceInfo';

export interface DeviceConfigResponse {
  'device'?: (_defguard_proxy_Device | null);
  'configs'?: (_defguard_proxy_DeviceConfig)[];
  'instance'?: (_defguard_proxy_InstanceInfo | null);
  'token'?: (string);
  '_token'?: "token";
}

export interface DeviceConfigResponse__Output {
  'device': (_defguard_proxy_Device__Output | null);
  'configs': (_defguard_proxy_DeviceConfig__Output)[];
  'instance': (_defguard_proxy_InstanceInfo__Output | null);
  'token'?: (string);
  '_token'?: "token";
}
