// Original file: proto/proxy.proto

export const LocationMfaMode = {
  LOCATION_MFA_MODE_UNSPECIFIED: 0,
  LOCATION_MFA_MODE_DISABLED: 1,
  LOCATION_MFA_MODE_INTERNAL: 2,
  LOCATION_MFA_MODE_EXTERNAL: 3,
} as const;

export type LocationMfaMode =
  | 'LOCATION_MFA_MODE_UNSPECIFIED'
  | 0
  | 'LOCATION_MFA_MODE_DISABLED'
  | 1
  | 'LOCATION_MFA_MODE_INTERNAL'
  | 2
  | 'LOCATION_MFA_MODE_EXTERNAL'
  | 3

export type LocationMfaMode__Output = typeof LocationMfaMode[keyof typeof LocationMfaMode]
