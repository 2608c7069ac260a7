// Original file: proto/proxy.proto

export const ClientTrafficPolicy = {
  NONE: 0,
  DISABLE_ALL_TRAFFIC: 1,
  FORCE_ALL_TRAFFIC: 2,
} as const;

export type ClientTrafficPolicy =
  | 'NONE'
  | 0
  | 'DISABLE_ALL_TRAFFIC'
  | 1
  | 'FORCE_ALL_TRAFFIC'
  | 2

export type ClientTrafficPolicy__Output = typeof ClientTrafficPolicy[keyof typeof ClientTrafficPolicy]
