// Original file: proto/proxy.proto


export interface NewDevice {
  'name'?: (string);
  'pubkey'?: (string);
  'token'?: (string);
  '_token'?: "token";
}

export interface NewDevice__Output {
  'name': (string);
  'pubkey': (string);
  'token'?: (string);
  '_token'?: "token";
}
