// Original file: proto/gateway.proto

import type { UpdateType as _gateway_UpdateType, UpdateType__Output as _gateway_UpdateType__Output } from '../gateway/UpdateType';
import type { Peer as _gateway_Peer, Peer__Output as _gateway_Peer__Output } from '../gateway/Peer';
import type { Configuration as _gateway_Configuration, Configuration__Output as _gateway_Configuration__Output } from '../gateway/Configuration';
import type { FirewallConfig as _enterprise_firewall_FirewallConfig, FirewallConfig__Output as _enterprise_firewall_FirewallConfig__Output } from '../enterprise/firewall/FirewallConfig';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../google/protobuf/Empty';

export interface Update {
  'update_type'?: (_gateway_UpdateType);
  'peer'?: (_gateway_Peer | null);
  'network'?: (_gateway_Configuration | null);
  'firewall_config'?: (_enterprise_firewall_FirewallConfig | null);
  'disable_firewall'?: (_google_protobuf_Empty | null);
  'update'?: "peer"|"network"|"firewall_config"|"disable_firewall";
}

export interface Update__Output {
  'update_type': (_gateway_UpdateType__Output);
  'peer'?: (_gateway_Peer__Output | null);
  'network'?: (_gateway_Configuration__Output | null);
  'firewall_config'?: (_enterprise_firewall_FirewallConfig__Output | null);
  'disable_firewall'?: (_google_protobuf_Empty__Output | null);
  'update'?: "peer"|"network"|"firewall_config"|"disable_firewall";
}
