// Original file: proto/proxy.proto

import type { MfaMethod as _defguard_proxy_MfaMethod, MfaMethod__Output as _defguard_proxy_MfaMethod__Output } from '../../defguard/proxy/MfaMethod';
import type { Long } from '@grpc/proto-loader';

export interface ClientMfaStartRequest {
  'location_id'?: (number | string | Long);
  'pubkey'?: (string);
  'method'?: (_defguard_proxy_MfaMethod);
}

export interface ClientMfaStartRequest__Output {
  'location_id': (number);
  'pubkey': (string);
  'method': (_defguard_proxy_MfaMethod__Output);
}
