// Original file: proto/proxy.proto

import type { MfaMethod as _defguard_proxy_MfaMethod, MfaMethod__Output as _defguard_proxy_MfaMethod__Output } from '../../defguard/proxy/MfaMethod';

export interface CodeMfaSetupStartRequest {
  'method'?: (_defguard_proxy_MfaMethod);
  'token'?: (string);
}

export interface CodeMfaSetupStartRequest__Output {
  'method': (_defguard_proxy_MfaMethod__Output);
  'token': (string);
}
