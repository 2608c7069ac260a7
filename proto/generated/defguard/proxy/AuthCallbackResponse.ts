// Original file: proto/proxy.proto


export interface AuthCallbackResponse {
  'url'?: (string);
  'token'?: (string);
}

export interface AuthCallbackResponse__Output {
  'url': (string);
  'token': (string);
}
