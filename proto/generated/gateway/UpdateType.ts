// Original file: proto/gateway.proto

export const UpdateType = {
  CREATE: 0,
  MODIFY: 1,
  DELETE: 2,
} as const;

export type UpdateType =
  | 'CREATE'
  | 0
  | 'MODIFY'
  | 1
  | 'DELETE'
  | 2

export type UpdateType__Output = typeof UpdateType[keyof typeof UpdateType]
