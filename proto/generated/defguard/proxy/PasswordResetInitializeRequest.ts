// Original file: proto/proxy.proto


export interface PasswordResetInitializeRequest {
  'email'?: (string);
}

export interface PasswordResetInitializeRequest__Output {
  'email': (string);
}
