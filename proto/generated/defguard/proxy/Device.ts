// Original file: proto/proxy.proto

import type { Long } from '@grpc/proto-loader';

export interface Device {
  'id'?: (number | string | Long);
  'name'?: (string);
  'pubkey'?: (string);
  'user_id'?: (number | string | Long);
  'created_at'?: (number | string | Long);
}

export interface Device__Output {
  'id': (number);
  'name': (string);
  'pubkey': (string);
  'user_id': (number);
  'created_at': (number);
}
