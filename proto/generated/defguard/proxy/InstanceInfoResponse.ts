// Original file: proto/proxy.proto

import type { DeviceConfigResponse as _defguard_proxy_DeviceConfigResponse, DeviceConfigResponse__Output as _defguard_proxy_DeviceConfigResponse__Output } from '../../defguard/proxy/DeviceConfigResponse';

export interface InstanceInfoResponse {
  'device_config'?: (_defguard_proxy_DeviceConfigResponse | null);
}

export interface InstanceInfoResponse__Output {
  'device_config': (_defguard_proxy_DeviceConfigResponse__Output | null);
}
