// Original file: proto/proxy.proto


export interface AuthCallbackRequest {
  'code'?: (string);
  'nonce'?: (string);
  'callback_url'?: (string);
}

export interface AuthCallbackRequest__Output {
  'code': (string);
  'nonce': (string);
  'callback_url': (string);
}
