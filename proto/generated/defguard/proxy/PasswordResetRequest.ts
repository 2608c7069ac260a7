// Original file: proto/proxy.proto


export interface PasswordResetRequest {
  'password'?: (string);
  'token'?: (string);
  '_token'?: "token";
}

export interface PasswordResetRequest__Output {
  'password': (string);
  'token'?: (string);
  '_token'?: "token";
}
