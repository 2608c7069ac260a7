// Original file: proto/proxy.proto


export interface EnrollmentSettings {
  'vpn_setup_optional'?: (boolean);
  'only_client_activation'?: (boolean);
  'admin_device_management'?: (boolean);
  'smtp_configured'?: (boolean);
  'mfa_required'?: (boolean);
}

export interface EnrollmentSettings__Output {
  'vpn_setup_optional': (boolean);
  'only_client_activation': (boolean);
  'admin_device_management': (boolean);
  'smtp_configured': (boolean);
  'mfa_required': (boolean);
}
