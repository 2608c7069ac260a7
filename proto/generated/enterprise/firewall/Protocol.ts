// Original file: proto/enterprise/firewall/firewall.proto

export const Protocol = {
  INVALID: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
} as const;

export type Protocol =
  | 'INVALID'
  | 0
  | 'ICMP'
  | 1
  | 'TCP'
  | 6
  | 'UDP'
  | 17

export type Protocol__Output = typeof Protocol[keyof typeof Protocol]
