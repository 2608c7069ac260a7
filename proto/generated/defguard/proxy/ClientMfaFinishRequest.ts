// Original file: proto/proxy.proto


export interface ClientMfaFinishRequest {
  'token'?: (string);
  'code'?: (string);
  'auth_pub_key'?: (string);
  '_code'?: "code";
  '_auth_pub_key'?: "auth_pub_key";
}

export interface ClientMfaFinishRequest__Output {
  'token': (string);
  'code'?: (string);
  'auth_pub_key'?: (string);
  '_code'?: "code";
  '_auth_pub_key'?: "auth_pub_key";
}
