// Original file: proto/proxy.proto


export interface ExistingDevice {
  'pubkey'?: (string);
  'token'?: (string);
  '_token'?: "token";
}

export interface ExistingDevice__Output {
  'pubkey': (string);
  'token'?: (string);
  '_token'?: "token";
}
