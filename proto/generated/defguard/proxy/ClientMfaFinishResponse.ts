// Original file: proto/proxy.proto


export interface ClientMfaFinishResponse {
  'preshared_key'?: (string);
  'token'?: (string);
  '_token'?: "token";
}

export interface ClientMfaFinishResponse__Output {
  'preshared_key': (string);
  'token'?: (string);
  '_token'?: "token";
}
