// Original file: proto/gateway.proto

import type { Peer as _gateway_Peer, Peer__Output as _gateway_Peer__Output } from '../gateway/Peer';
import type { FirewallConfig as _enterprise_firewall_FirewallConfig, FirewallConfig__Output as _enterprise_firewall_FirewallConfig__Output } from '../enterprise/firewall/FirewallConfig';

export interface Configuration {
  'name'?: (string);
  'prvkey'?: (string);
  'port'?: (number);
  'peers'?: (_gateway_Peer)[];
  'addresses'?: (string)[];
  'firewall_config'?: (_enterprise_firewall_FirewallConfig | null);
  '_firewall_config'?: "firewall_config";
}

export interface Configuration__Output {
  'name': (string);
  'prvkey': (string);
  'port': (number);
  'peers': (_gateway_Peer__Output)[];
  'addresses': (string)[];
  'firewall_config'?: (_enterprise_firewall_FirewallConfig__Output | null);
  '_firewall_config'?: "firewall_config";
}
