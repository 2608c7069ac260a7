// Original file: proto/proxy.proto

export const ServiceLocationMode = {
  SERVICE_LOCATION_MODE_UNSPECIFIED: 0,
  SERVICE_LOCATION_MODE_DISABLED: 1,
  SERVICE_LOCATION_MODE_PRELOGON: 2,
  SERVICE_LOCATION_MODE_ALWAYSON: 3,
} as const;

export type ServiceLocationMode =
  | 'SERVICE_LOCATION_MODE_UNSPECIFIED'
  | 0
  | 'SERVICE_LOCATION_MODE_DISABLED'
  | 1
  | 'SERVICE_LOCATION_MODE_PRELOGON'
  | 2
  | 'SERVICE_LOCATION_MODE_ALWAYSON'
  | 3

export type ServiceLocationMode__Output = typeof ServiceLocationMode[keyof typeof ServiceLocationMode]
