// Original file: proto/enterprise/firewall/firewall.proto


export interface PortRange {
  'start'?: (number);
  'end'?: (number);
}

export interface PortRange__Output {
  'start': (number);
  'end': (number);
}
