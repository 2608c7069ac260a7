// Original file: proto/proxy.proto

import type { MfaMethod as _defguard_proxy_MfaMethod, MfaMethod__Output as _defguard_proxy_MfaMethod__Output } from '../../defguard/proxy/MfaMethod';

export interface CodeMfaSetupFinishRequest {
  'code'?: (string);
  'token'?: (string);
  'method'?: (_defguard_proxy_MfaMethod);
}

export interface CodeMfaSetupFinishRequest__Output {
  'code': (string);
  'token': (string);
  'method': (_defguard_proxy_MfaMethod__Output);
}
