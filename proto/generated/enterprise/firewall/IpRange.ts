// Original file: proto/enterprise/firewall/firewall.proto


export interface IpRange {
  'start'?: (string);
  'end'?: (string);
}

export interface IpRange__Output {
  'start': (string);
  'end': (string);
}
