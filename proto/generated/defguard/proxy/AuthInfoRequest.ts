// Original file: proto/proxy.proto


export interface AuthInfoRequest {
  'redirect_url'?: (string);
  'state'?: (string);
  '_state'?: "state";
}

export interface AuthInfoRequest__Output {
  'redirect_url': (string);
  'state'?: (string);
  '_state'?: "state";
}
