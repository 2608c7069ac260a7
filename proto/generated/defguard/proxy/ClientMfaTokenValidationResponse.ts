// Original file: proto/proxy.proto


export interface ClientMfaTokenValidationResponse {
  'token_valid'?: (boolean);
}

export interface ClientMfaTokenValidationResponse__Output {
  'token_valid': (boolean);
}
