// Original file: proto/proxy.proto

export const MfaMethod = {
  TOTP: 0,
  EMAIL: 1,
  OIDC: 2,
  BIOMETRIC: 3,
  MOBILE_APPROVE: 4,
} as const;

export type MfaMethod =
  | 'TOTP'
  | 0
  | 'EMAIL'
  | 1
  | 'OIDC'
  | 2
  | 'BIOMETRIC'
  | 3
  | 'MOBILE_APPROVE'
  | 4

export type MfaMethod__Output = typeof MfaMethod[keyof typeof MfaMethod]
