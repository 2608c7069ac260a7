// Original file: proto/enterprise/firewall/firewall.proto

import type { FirewallPolicy as _enterprise_firewall_FirewallPolicy, FirewallPolicy__Output as _enterprise_firewall_FirewallPolicy__Output } from '../../enterprise/firewall/FirewallPolicy';
import type { FirewallRule as _enterprise_firewall_FirewallRule, FirewallRule__Output as _enterprise_firewall_FirewallRule__Output } from '../../enterprise/firewall/FirewallRule';
import type { SnatBinding as _enterprise_firewall_SnatBinding, SnatBinding__Output as _enterprise_firewall_SnatBinding__Output } from '../../enterprise/firewall/SnatBinding';

export interface FirewallConfig {
  'default_policy'?: (_enterprise_firewall_FirewallPolicy);
  'rules'?: (_enterprise_firewall_FirewallRule)[];
  'snat_bindings'?: (_enterprise_firewall_SnatBinding)[];
}

export interface FirewallConfig__Output {
  'default_policy': (_enterprise_firewall_FirewallPolicy__Output);
  'rules': (_enterprise_firewall_FirewallRule__Output)[];
  'snat_bindings': (_enterprise_firewall_SnatBinding__Output)[];
}
