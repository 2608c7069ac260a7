// Original file: proto/proxy.proto


export interface ClientMfaOidcAuthenticateRequest {
  'code'?: (string);
  'state'?: (string);
  'callback_url'?: (string);
  'nonce'?: (string);
}

export interface ClientMfaOidcAuthenticateRequest__Output {
  'code': (string);
  'state': (string);
  'callback_url': (string);
  'nonce': (string);
}
