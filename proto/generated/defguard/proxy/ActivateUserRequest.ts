// Original file: proto/proxy.proto


export interface ActivateUserRequest {
  'phone_number'?: (string);
  'password'?: (string);
  'token'?: (string);
  '_phone_number'?: "phone_number";
  '_token'?: "token";
}

export interface ActivateUserRequest__Output {
  'phone_number'?: (string);
  'password': (string);
  'token'?: (string);
  '_phone_number'?: "phone_number";
  '_token'?: "token";
}
