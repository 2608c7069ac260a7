// Original file: proto/enterprise/firewall/firewall.proto

import type { PortRange as _enterprise_firewall_PortRange, PortRange__Output as _enterprise_firewall_PortRange__Output } from '../../enterprise/firewall/PortRange';

export interface Port {
  'single_port'?: (number);
  'port_range'?: (_enterprise_firewall_PortRange | null);
  'port'?: "single_port"|"port_range";
}

export interface Port__Output {
  'single_port'?: (number);
  'port_range'?: (_enterprise_firewall_PortRange__Output | null);
  'port'?: "single_port"|"port_range";
}
