// Original file: proto/proxy.proto


export interface DeviceInfo {
  'ip_address'?: (string);
  'user_agent'?: (string);
  'version'?: (string);
  'platform'?: (string);
  '_user_agent'?: "user_agent";
  '_version'?: "version";
  '_platform'?: "platform";
}

export interface DeviceInfo__Output {
  'ip_address': (string);
  'user_agent'?: (string);
  'version'?: (string);
  'platform'?: (string);
  '_user_agent'?: "user_agent";
  '_version'?: "version";
  '_platform'?: "platform";
}
