// Original file: proto/proxy.proto


export interface PasswordResetStartRequest {
  'token'?: (string);
}

export interface PasswordResetStartRequest__Output {
  'token': (string);
}
