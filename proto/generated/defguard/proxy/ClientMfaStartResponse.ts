// Original file: proto/proxy.proto


export interface ClientMfaStartResponse {
  'token'?: (string);
  'challenge'?: (string);
  '_challenge'?: "challenge";
}

export interface ClientMfaStartResponse__Output {
  'token': (string);
  'challenge'?: (string);
  '_challenge'?: "challenge";
}
