// Original file: proto/proxy.proto


export interface InstanceInfoRequest {
  'token'?: (string);
}

export interface InstanceInfoRequest__Output {
  'token': (string);
}
