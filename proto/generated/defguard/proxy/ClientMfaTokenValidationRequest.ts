// Original file: proto/proxy.proto


export interface ClientMfaTokenValidationRequest {
  'token'?: (string);
}

export interface ClientMfaTokenValidationRequest__Output {
  'token': (string);
}
