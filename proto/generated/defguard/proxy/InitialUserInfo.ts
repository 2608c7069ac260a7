// Original file: proto/proxy.proto


export interface InitialUserInfo {
  'first_name'?: (string);
  'last_name'?: (string);
  'login'?: (string);
  'email'?: (string);
  'phone_number'?: (string);
  'is_active'?: (boolean);
  'device_names'?: (string)[];
  'enrolled'?: (boolean);
  'is_admin'?: (boolean);
  '_phone_number'?: "phone_number";
}

export interface InitialUserInfo__Output {
  'first_name': (string);
  'last_name': (string);
  'login': (string);
  'email': (string);
  'phone_number'?: (string);
  'is_active': (boolean);
  'device_names': (string)[];
  'enrolled': (boolean);
  'is_admin': (boolean);
  '_phone_number'?: "phone_number";
}
