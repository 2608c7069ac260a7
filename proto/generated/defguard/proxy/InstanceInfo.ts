// Original file: proto/proxy.proto

import type { ClientTrafficPolicy as _defguard_proxy_ClientTrafficPolicy, ClientTrafficPolicy__Output as _defguard_proxy_ClientTrafficPolicy__Output } from '../../defguard/proxy/ClientTrafficPolicy';

export interface InstanceInfo {
  'id'?: (string);
  'name'?: (string);
  'url'?: (string);
  'proxy_url'?: (string);
  'username'?: (string);
  'enterprise_enabled'?: (boolean);
  'disable_all_traffic'?: (boolean);
  'openid_display_name'?: (string);
  'client_traffic_policy'?: (_defguard_proxy_ClientTrafficPolicy);
  '_openid_display_name'?: "openid_display_name";
  '_client_traffic_policy'?: "client_traffic_policy";
}

export interface InstanceInfo__Output {
  'id': (string);
  'name': (string);
  'url': (string);
  'proxy_url': (string);
  'username': (string);
  'enterprise_enabled': (boolean);
  'disable_all_traffic': (boolean);
  'openid_display_name'?: (string);
  'client_traffic_policy'?: (_defguard_proxy_ClientTrafficPolicy__Output);
  '_openid_display_name'?: "openid_display_name";
  '_client_traffic_policy'?: "client_traffic_policy";
}
