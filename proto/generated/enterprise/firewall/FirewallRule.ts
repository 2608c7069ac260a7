// Original file: proto/enterprise/firewall/firewall.proto

import type { IpAddress as _enterprise_firewall_IpAddress, IpAddress__Output as _enterprise_firewall_IpAddress__Output } from '../../enterprise/firewall/IpAddress';
import type { Port as _enterprise_firewall_Port, Port__Output as _enterprise_firewall_Port__Output } from '../../enterprise/firewall/Port';
import type { Protocol as _enterprise_firewall_Protocol, Protocol__Output as _enterprise_firewall_Protocol__Output } from '../../enterprise/firewall/Protocol';
import type { FirewallPolicy as _enterprise_firewall_FirewallPolicy, FirewallPolicy__Output as _enterprise_firewall_FirewallPolicy__Output } from '../../enterprise/firewall/FirewallPolicy';
import type { IpVersion as _enterprise_firewall_IpVersion, IpVersion__Output as _enterprise_firewall_IpVersion__Output } from '../../enterprise/firewall/IpVersion';
import type { Long } from '@grpc/proto-loader';

export interface FirewallRule {
  'id'?: (number | string | Long);
  'source_addrs'?: (_enterprise_firewall_IpAddress)[];
  'destination_addrs'?: (_enterprise_firewall_IpAddress)[];
  'destination_ports'?: (_enterprise_firewall_Port)[];
  'protocols'?: (_enterprise_firewall_Protocol)[];
  'verdict'?: (_enterprise_firewall_FirewallPolicy);
  'comment'?: (string);
  'ip_version'?: (_enterprise_firewall_IpVersion);
  '_comment'?: "comment";
}

export interface FirewallRule__Output {
  'id': (number);
  'source_addrs': (_enterprise_firewall_IpAddress__Output)[];
  'destination_addrs': (_enterprise_firewall_IpAddress__Output)[];
  'destination_ports': (_enterprise_firewall_Port__Output)[];
  'protocols': (_enterprise_firewall_Protocol__Output)[];
  'verdict': (_enterprise_firewall_FirewallPolicy__Output);
  'comment'?: (string);
  'ip_version': (_enterprise_firewall_IpVersion__Output);
  '_comment'?: "comment";
}
