// Original file: proto/proxy.proto


export interface CoreError {
  'status_code'?: (number);
  'message'?: (string);
}

export interface CoreError__Output {
  'status_code': (number);
  'message': (string);
}
