// Original file: proto/gateway.proto


export interface ConfigurationRequest {
  'name'?: (string);
  '_name'?: "name";
}

export interface ConfigurationRequest__Output {
  'name'?: (string);
  '_name'?: "name";
}
