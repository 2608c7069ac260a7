// Original file: proto/proxy.proto

import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../../google/protobuf/Empty';
import type { EnrollmentStartResponse as _defguard_proxy_EnrollmentStartResponse, EnrollmentStartResponse__Output as _defguard_proxy_EnrollmentStartResponse__Output } from '../../defguard/proxy/EnrollmentStartResponse';
import type { DeviceConfigResponse as _defguard_proxy_DeviceConfigResponse, DeviceConfigResponse__Output as _defguard_proxy_DeviceConfigResponse__Output } from '../../defguard/proxy/DeviceConfigResponse';
import type { PasswordResetStartResponse as _defguard_proxy_PasswordResetStartResponse, PasswordResetStartResponse__Output as _defguard_proxy_PasswordResetStartResponse__Output } from '../../defguard/proxy/PasswordResetStartResponse';
import type { ClientMfaStartResponse as _defguard_proxy_ClientMfaStartResponse, ClientMfaStartResponse__Output as _defguard_proxy_ClientMfaStartResponse__Output } from '../../defguard/proxy/ClientMfaStartResponse';
import type { ClientMfaFinishResponse as _defguard_proxy_ClientMfaFinishResponse, ClientMfaFinishResponse__Output as _defguard_proxy_ClientMfaFinishResponse__Output } from '../../defguard/proxy/ClientMfaFinishResponse';
import type { CoreError as _defguard_proxy_CoreError, CoreError__Output as _defguard_proxy_CoreError__Output } from '../../defguard/proxy/CoreError';
import type { InstanceInfoResponse as _defguard_proxy_InstanceInfoResponse, InstanceInfoResponse__Output as _defguard_proxy_InstanceInfoResponse__Output } from '../../defguard/proxy/InstanceInfoResponse';
import type { AuthInfoResponse as _defguard_proxy_AuthInfoResponse, AuthInfoResponse__Output as _defguard_proxy_AuthInfoResponse__Output } from '../../defguard/proxy/AuthInfoResponse';
import type { AuthCallbackResponse as _defguard_proxy_AuthCallbackResponse, AuthCallbackResponse__Output as _defguard_proxy_AuthCallbackResponse__Output } from '../../defguard/proxy/AuthCallbackResponse';
import type { ClientMfaTokenValidationResponse as _defguard_proxy_ClientMfaTokenValidationResponse, ClientMfaTokenValidationResponse__Output as _defguard_proxy_ClientMfaTokenValidationResponse__Output } from '../../defguard/proxy/ClientMfaTokenValidationResponse';
import type { CodeMfaSetupStartResponse as _defguard_proxy_CodeMfaSetupStartResponse, CodeMfaSetupStartResponse__Output as _defguard_proxy_CodeMfaSetupStartResponse__Output } from '../../defguard/proxy/CodeMfaSetupStartResponse';
import type { CodeMfaSetupFinishResponse as _defguard_proxy_CodeMfaSetupFinishResponse, CodeMfaSetupFinishResponse__Output as _defguard_proxy_CodeMfaSetupFinishResponse__Output } from '../../defguard/proxy/CodeMfaSetupFinishResponse';
import type { Long } from '@grpc/proto-loader';

export interface CoreResponse {
  'id'?: (number | string | Long);
  'empty'?: (_google_protobuf_Empty | null);
  'enrollment_start'?: (_defguard_proxy_EnrollmentStartResponse | null);
  'device_config'?: (_defguard_proxy_DeviceConfigResponse | null);
  'password_reset_start'?: (_defguard_proxy_PasswordResetStartResponse | null);
  'client_mfa_start'?: (_defguard_proxy_ClientMfaStartResponse | null);
  'client_mfa_finish'?: (_defguard_proxy_ClientMfaFinishResponse | null);
  'core_error'?: (_defguard_proxy_CoreError | null);
  'instance_info'?: (_defguard_proxy_InstanceInfoResponse | null);
  'auth_info'?: (_defguard_proxy_AuthInfoResponse | null);
  'auth_callback'?: (_defguard_proxy_AuthCallbackResponse | null);
  'client_mfa_token_validation'?: (_defguard_proxy_ClientMfaTokenValidationResponse | null);
  'code_mfa_setup_start_response'?: (_defguard_proxy_CodeMfaSetupStartResponse | null);
  'code_mfa_setup_finish_response'?: (_defguard_proxy_CodeMfaSetupFinishResponse | null);
  'payload'?: "empty"|"enrollment_start"|"device_config"|"password_reset_start"|"client_mfa_start"|"client_mfa_finish"|"core_error"|"instance_info"|"auth_info"|"auth_callback"|"client_mfa_token_validation"|"code_mfa_setup_start_response"|"code_mfa_setup_finish_response";
}

export interface CoreResponse__Output {
  'id': (number);
  'empty'?: (_google_protobuf_Empty__Output | null);
  'enrollment_start'?: (_defguard_proxy_EnrollmentStartResponse__Output | null);
  'device_config'?: (_defguard_proxy_DeviceConfigResponse__Output | null);
  'password_reset_start'?: (_defguard_proxy_PasswordResetStartResponse__Output | null);
  'client_mfa_start'?: (_defguard_proxy_ClientMfaStartResponse__Output | null);
  'client_mfa_finish'?: (_defguard_proxy_ClientMfaFinishResponse__Output | null);
  'core_error'?: (_defguard_proxy_CoreError__Output | null);
  'instance_info'?: (_defguard_proxy_InstanceInfoResponse__Output | null);
  'auth_info'?: (_defguard_proxy_AuthInfoResponse__Output | null);
  'auth_callback'?: (_defguard_proxy_AuthCallbackResponse__Output | null);
  'client_mfa_token_validation'?: (_defguard_proxy_ClientMfaTokenValidationResponse__Output | null);
  'code_mfa_setup_start_response'?: (_defguard_proxy_CodeMfaSetupStartResponse__Output | null);
  'code_mfa_setup_finish_response'?: (_defguard_proxy_CodeMfaSetupFinishResponse__Output | null);
  'payload'?: "empty"|"enrollment_start"|"device_config"|"password_reset_start"|"client_mfa_start"|"client_mfa_finish"|"core_error"|"instance_info"|"auth_info"|"auth_callback"|"client_mfa_token_validation"|"code_mfa_setup_start_response"|"code_mfa_setup_finish_response";
}
