// Original file: proto/proxy.proto


export interface RegisterMobileAuthRequest {
  'token'?: (string);
  'auth_pub_key'?: (string);
  'device_pub_key'?: (string);
}

export interface RegisterMobileAuthRequest__Output {
  'token': (string);
  'auth_pub_key': (string);
  'device_pub_key': (string);
}
