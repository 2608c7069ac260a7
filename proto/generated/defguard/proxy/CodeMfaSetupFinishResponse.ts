// Original file: proto/proxy.proto


export interface CodeMfaSetupFinishResponse {
  'recovery_codes'?: (string)[];
}

export interface CodeMfaSetupFinishResponse__Output {
  'recovery_codes': (string)[];
}
