// Original file: proto/proxy.proto

import type { LocationMfaMode as _defguard_proxy_LocationMfaMode, LocationMfaMode__Output as _defguard_proxy_LocationMfaMode__Output } from '../../defguard/proxy/LocationMfaMode';
import type { ServiceLocationMode as _defguard_proxy_ServiceLocationMode, ServiceLocationMode__Output as _defguard_proxy_ServiceLocationMode__Output } from '../../defguard/proxy/ServiceLocationMode';
import type { Long } from '@grpc/proto-loader';

export interface DeviceConfig {
  'network_id'?: (number | string | Long);
  'network_name'?: (string);
  'config'?: (string);
  'endpoint'?: (string);
  'assigned_ip'?: (string);
  'pubkey'?: (string);
  'allowed_ips'?: (string);
  'dns'?: (string);
  'mfa_enabled'?: (boolean);
  'keepalive_interval'?: (number);
  'location_mfa_mode'?: (_defguard_proxy_LocationMfaMode);
  'service_location_mode'?: (_defguard_proxy_ServiceLocationMode);
  '_dns'?: "dns";
  '_location_mfa_mode'?: "location_mfa_mode";
  '_service_location_mode'?: "service_location_mode";
}

export interface DeviceConfig__Output {
  'network_id': (number);
  'network_name': (string);
  'config': (string);
  'endpoint': (string);
  'assigned_ip': (string);
  'pubkey': (string);
  'allowed_ips': (string);
  'dns'?: (string);
  'mfa_enabled': (boolean);
  'keepalive_interval': (number);
  'location_mfa_mode'?: (_defguard_proxy_LocationMfaMode__Output);
  'service_location_mode'?: (_defguard_proxy_ServiceLocationMode__Output);
  '_dns'?: "dns";
  '_location_mfa_mode'?: "location_mfa_mode";
  '_service_location_mode'?: "service_location_mode";
}
