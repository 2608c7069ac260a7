// Original file: proto/enterprise/firewall/firewall.proto

export const FirewallPolicy = {
  ALLOW: 0,
  DENY: 1,
} as const;

export type FirewallPolicy =
  | 'ALLOW'
  | 0
  | 'DENY'
  | 1

export type FirewallPolicy__Output = typeof FirewallPolicy[keyof typeof FirewallPolicy]
