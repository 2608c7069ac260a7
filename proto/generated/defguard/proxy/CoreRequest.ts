// Original file: proto/proxy.proto

import type { DeviceInfo as _defguard_proxy_DeviceInfo, DeviceInfo__Output as _defguard_proxy_DeviceInfo__Output } from '../../defguard/proxy/DeviceInfo';
import type { EnrollmentStartRequest as _defguard_proxy_EnrollmentStartRequest, EnrollmentStartRequest__Output as _defguard_proxy_EnrollmentStartRequest__Output } from '../../defguard/proxy/EnrollmentStartRequest';
import type { ActivateUserRequest as _defguard_proxy_ActivateUserRequest, ActivateUserRequest__Output as _defguard_proxy_ActivateUserRequest__Output } from '../../defguard/proxy/ActivateUserRequest';
import type { NewDevice as _defguard_proxy_NewDevice, NewDevice__Output as _defguard_proxy_NewDevice__Output } from '../../defguard/proxy/NewDevice';
import type { ExistingDevice as _defguard_proxy_ExistingDevice, ExistingDevice__Output as _defguard_proxy_ExistingDevice__Output } from '../../defguard/proxy/ExistingDevice';
import type { PasswordResetInitializeRequest as _defguard_proxy_PasswordResetInitializeRequest, PasswordResetInitializeRequest__Output as _defguard_proxy_PasswordResetInitializeRequest__Output } from '../../defguard/proxy/PasswordResetInitializeRequest';
import type { PasswordResetStartRequest as _defguard_proxy_PasswordResetStartRequest, PasswordResetStartRequest__Output as _defguard_proxy_PasswordResetStartRequest__Output } from '../../defguard/proxy/PasswordResetStartRequest';
import type { PasswordResetRequest as _defguard_proxy_PasswordResetRequest, PasswordResetRequest__Output as _defguard_proxy_PasswordResetRequest__Output } from '../../defguard/proxy/PasswordResetRequest';
import type { ClientMfaStartRequest as _defguard_proxy_ClientMfaStartRequest, ClientMfaStartRequest__Output as _defguard_proxy_ClientMfaStartRequest__Output } from '../../defguard/proxy/ClientMfaStartRequest';
import type { ClientMfaFinishRequest as _defguard_proxy_ClientMfaFinishRequest, ClientMfaFinishRequest__Output as _defguard_proxy_ClientMfaFinishRequest__Output } from '../../defguard/proxy/ClientMfaFinishRequest';
import type { InstanceInfoRequest as _defguard_proxy_InstanceInfoRequest, InstanceInfoRequest__Output as _defguard_proxy_InstanceInfoRequest__Output } from '../../defguard/proxy/InstanceInfoRequest';
import type { AuthInfoRequest as _defguard_proxy_AuthInfoRequest, AuthInfoRequest__Output as _defguard_proxy_AuthInfoRequest__Output } from '../../defguard/proxy/AuthInfoRequest';
import type { AuthCallbackRequest as _defguard_proxy_AuthCallbackRequest, AuthCallbackRequest__Output as _defguard_proxy_AuthCallbackRequest__Output } from '../../defguard/proxy/AuthCallbackRequest';
import type { ClientMfaOidcAuthenticateRequest as _defguard_proxy_ClientMfaOidcAuthenticateRequest, ClientMfaOidcAuthenticateRequest__Output as _defguard_proxy_ClientMfaOidcAuthenticateRequest__Output } from '../../defguard/proxy/ClientMfaOidcAuthenticateRequest';
import type { RegisterMobileAuthRequest as _defguard_proxy_RegisterMobileAuthRequest, RegisterMobileAuthRequest__Output as _defguard_proxy_RegisterMobileAuthRequest__Output } from '../../defguard/proxy/RegisterMobileAuthRequest';
import type { ClientMfaTokenValidationRequest as _defguard_proxy_ClientMfaTokenValidationRequest, ClientMfaTokenValidationRequest__Output as _defguard_proxy_ClientMfaTokenValidationRequest__Output } from '../../defguard/proxy/ClientMfaTokenValidationRequest';
import type { CodeMfaSetupStartRequest as _defguard_proxy_CodeMfaSetupStartRequest, CodeMfaSetupStartRequest__Output as _defguard_proxy_CodeMfaSetupStartRequest__Output } from '../../defguard/proxy/CodeMfaSetupStartRequest';
import type { CodeMfaSetupFinishRequest as _defguard_proxy_CodeMfaSetupFinishRequest, CodeMfaSetupFinishRequest__Output as _defguard_proxy_CodeMfaSetupFinishRequest__Output } from '../../defguard/proxy/CodeMfaSetupFinishRequest';
import type { Long } from '@grpc/proto-loader';

export interface CoreRequest {
  'id'?: (number | string | Long);
  'device_info'?: (_defguard_proxy_DeviceInfo | null);
  'enrollment_start'?: (_defguard_proxy_EnrollmentStartRequest | null);
  'activate_user'?: (_defguard_proxy_ActivateUserRequest | null);
  'new_device'?: (_defguard_proxy_NewDevice | null);
  'existing_device'?: (_defguard_proxy_ExistingDevice | null);
  'password_reset_init'?: (_defguard_proxy_PasswordResetInitializeRequest | null);
  'password_reset_start'?: (_defguard_proxy_PasswordResetStartRequest | null);
  'password_reset'?: (_defguard_proxy_PasswordResetRequest | null);
  'client_mfa_start'?: (_defguard_proxy_ClientMfaStartRequest | null);
  'client_mfa_finish'?: (_defguard_proxy_ClientMfaFinishRequest | null);
  'instance_info'?: (_defguard_proxy_InstanceInfoRequest | null);
  'auth_info'?: (_defguard_proxy_AuthInfoRequest | null);
  'auth_callback'?: (_defguard_proxy_AuthCallbackRequest | null);
  'client_mfa_oidc_authenticate'?: (_defguard_proxy_ClientMfaOidcAuthenticateRequest | null);
  'register_mobile_auth'?: (_defguard_proxy_RegisterMobileAuthRequest | null);
  'client_mfa_token_validation'?: (_defguard_proxy_ClientMfaTokenValidationRequest | null);
  'code_mfa_setup_start'?: (_defguard_proxy_CodeMfaSetupStartRequest | null);
  'code_mfa_setup_finish'?: (_defguard_proxy_CodeMfaSetupFinishRequest | null);
  'payload'?: "enrollment_start"|"activate_user"|"new_device"|"existing_device"|"password_reset_init"|"password_reset_start"|"password_reset"|"client_mfa_start"|"client_mfa_finish"|"instance_info"|"auth_info"|"auth_callback"|"client_mfa_oidc_authenticate"|"register_mobile_auth"|"client_mfa_token_validation"|"code_mfa_setup_start"|"code_mfa_setup_finish";
}

export interface CoreRequest__Output {
  'id': (number);
  'device_info': (_defguard_proxy_DeviceInfo__Output | null);
  'enrollment_start'?: (_defguard_proxy_EnrollmentStartRequest__Output | null);
  'activate_user'?: (_defguard_proxy_ActivateUserRequest__Output | null);
  'new_device'?: (_defguard_proxy_NewDevice__Output | null);
  'existing_device'?: (_defguard_proxy_ExistingDevice__Output | null);
  'password_reset_init'?: (_defguard_proxy_PasswordResetInitializeRequest__Output | null);
  'password_reset_start'?: (_defguard_proxy_PasswordResetStartRequest__Output | null);
  'password_reset'?: (_defguard_proxy_PasswordResetRequest__Output | null);
  'client_mfa_start'?: (_defguard_proxy_ClientMfaStartRequest__Output | null);
  'client_mfa_finish'?: (_defguard_proxy_ClientMfaFinishRequest__Output | null);
  'instance_info'?: (_defguard_proxy_InstanceInfoRequest__Output | null);
  'auth_info'?: (_defguard_proxy_AuthInfoRequest__Output | null);
  'auth_callback'?: (_defguard_proxy_AuthCallbackRequest__Output | null);
  'client_mfa_oidc_authenticate'?: (_defguard_proxy_ClientMfaOidcAuthenticateRequest__Output | null);
  'register_mobile_auth'?: (_defguard_proxy_RegisterMobileAuthRequest__Output | null);
  'client_mfa_token_validation'?: (_defguard_proxy_ClientMfaTokenValidationRequest__Output | null);
  'code_mfa_setup_start'?: (_defguard_proxy_CodeMfaSetupStartRequest__Output | null);
  'code_mfa_setup_finish'?: (_defguard_proxy_CodeMfaSetupFinishRequest__Output | null);
  'payload'?: "enrollment_start"|"activate_user"|"new_device"|"existing_device"|"password_reset_init"|"password_reset_start"|"password_reset"|"client_mfa_start"|"client_mfa_finish"|"instance_info"|"auth_info"|"auth_callback"|"client_mfa_oidc_authenticate"|"register_mobile_auth"|"client_mfa_token_validation"|"code_mfa_setup_start"|"code_mfa_setup_finish";
}
