// Original file: proto/proxy.proto


export interface AuthInfoResponse {
  'url'?: (string);
  'csrf_token'?: (string);
  'nonce'?: (string);
  'button_display_name'?: (string);
  '_button_display_name'?: "button_display_name";
}

export interface AuthInfoResponse__Output {
  'url': (string);
  'csrf_token': (string);
  'nonce': (string);
  'button_display_name'?: (string);
  '_button_display_name'?: "button_display_name";
}
