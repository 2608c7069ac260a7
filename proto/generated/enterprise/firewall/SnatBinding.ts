// Original file: proto/enterprise/firewall/firewall.proto

import type { IpAddress as _enterprise_firewall_IpAddress, IpAddress__Output as _enterprise_firewall_IpAddress__Output } from '../../enterprise/firewall/IpAddress';
import type { Long } from '@grpc/proto-loader';

export interface SnatBinding {
  'id'?: (number | string | Long);
  'source_addrs'?: (_enterprise_firewall_IpAddress)[];
  'public_ip'?: (string);
  'comment'?: (string);
  '_comment'?: "comment";
}

export interface SnatBinding__Output {
  'id': (number);
  'source_addrs': (_enterprise_firewall_IpAddress__Output)[];
  'public_ip': (string);
  'comment'?: (string);
  '_comment'?: "comment";
}
