// Original file: proto/enterprise/firewall/firewall.proto

export const IpVersion = {
  IPV4: 0,
  IPV6: 1,
} as const;

export type IpVersion =
  | 'IPV4'
  | 0
  | 'IPV6'
  | 1

export type IpVersion__Output = typeof IpVersion[keyof typeof IpVersion]
