// Original file: proto/proxy.proto


export interface AdminInfo {
  'name'?: (string);
  'phone_number'?: (string);
  'email'?: (string);
  '_phone_number'?: "phone_number";
}

export interface AdminInfo__Output {
  'name': (string);
  'phone_number'?: (string);
  'email': (string);
  '_phone_number'?: "phone_number";
}
