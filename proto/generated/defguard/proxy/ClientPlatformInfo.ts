// Original file: proto/proxy.proto


export interface ClientPlatformInfo {
  'os_family'?: (string);
  'os_type'?: (string);
  'version'?: (string);
  'edition'?: (string);
  'codename'?: (string);
  'bitness'?: (string);
  'architecture'?: (string);
  '_edition'?: "edition";
  '_codename'?: "codename";
  '_bitness'?: "bitness";
  '_architecture'?: "architecture";
}

export interface ClientPlatformInfo__Output {
  'os_family': (string);
  'os_type': (string);
  'version': (string);
  'edition'?: (string);
  'codename'?: (string);
  'bitness'?: (string);
  'architecture'?: (string);
  '_edition'?: "edition";
  '_codename'?: "codename";
  '_bitness'?: "bitness";
  '_architecture'?: "architecture";
}
