// Original file: proto/proxy.proto

import type { Long } from '@grpc/proto-loader';

export interface PasswordResetStartResponse {
  'deadline_timestamp'?: (number | string | Long);
}

export interface PasswordResetStartResponse__Output {
  'deadline_timestamp': (number);
}
