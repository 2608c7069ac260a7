// Original file: proto/proxy.proto


export interface EnrollmentStartRequest {
  'token'?: (string);
}

export interface EnrollmentStartRequest__Output {
  'token': (string);
}
