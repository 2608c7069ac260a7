// Original file: proto/proxy.proto


export interface CodeMfaSetupStartResponse {
  'totp_secret'?: (string);
  '_totp_secret'?: "totp_secret";
}

export interface CodeMfaSetupStartResponse__Output {
  'totp_secret'?: (string);
  '_totp_secret'?: "totp_secret";
}
