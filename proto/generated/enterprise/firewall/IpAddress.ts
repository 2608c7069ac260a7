// Original file: proto/enterprise/firewall/firewall.proto

import type { IpRange as _enterprise_firewall_IpRange, IpRange__Output as _enterprise_firewall_IpRange__Output } from '../../enterprise/firewall/IpRange';

export interface IpAddress {
  'ip'?: (string);
  'ip_range'?: (_enterprise_firewall_IpRange | null);
  'ip_subnet'?: (string);
  'address'?: "ip"|"ip_range"|"ip_subnet";
}

export interface IpAddress__Output {
  'ip'?: (string);
  'ip_range'?: (_enterprise_firewall_IpRange__Output | null);
  'ip_subnet'?: (string);
  'address'?: "ip"|"ip_range"|"ip_subnet";
}
