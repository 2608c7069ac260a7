import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ActivateUserRequest as _defguard_proxy_ActivateUserRequest, ActivateUserRequest__Output as _defguard_proxy_ActivateUserRequest__Output } from './defguard/proxy/ActivateUserRequest';
import type { AdminInfo as _defguard_proxy_AdminInfo, AdminInfo__Output as _defguard_proxy_AdminInfo__Output } from './defguard/proxy/AdminInfo';
import type { AuthCallbackRequest as _defguard_proxy_AuthCallbackRequest, AuthCallbackRequest__Output as _defguard_proxy_AuthCallbackRequest__Output } from './defguard/proxy/AuthCallbackRequest';
import type { AuthCallbackResponse as _defguard_proxy_AuthCallbackResponse, AuthCallbackResponse__Output as _defguard_proxy_AuthCallbackResponse__Output } from './defguard/proxy/AuthCallbackResponse';
import type { AuthInfoRequest as _defguard_proxy_AuthInfoRequest, AuthInfoRequest__Output as _defguard_proxy_AuthInfoRequest__Output } from './defguard/proxy/AuthInfoRequest';
import type { AuthInfoResponse as _defguard_proxy_AuthInfoResponse, AuthInfoResponse__Output as _defguard_proxy_AuthInfoResponse__Output } from './defguard/proxy/AuthInfoResponse';
import type { ClientMfaFinishRequest as _defguard_proxy_ClientMfaFinishRequest, ClientMfaFinishRequest__Output as _defguard_proxy_ClientMfaFinishRequest__Output } from './defguard/proxy/ClientMfaFinishRequest';
import type { ClientMfaFinishResponse as _defguard_proxy_ClientMfaFinishResponse, ClientMfaFinishResponse__Output as _defguard_proxy_ClientMfaFinishResponse__Output } from './defguard/proxy/ClientMfaFinishResponse';
import type { ClientMfaOidcAuthenticateRequest as _defguard_proxy_ClientMfaOidcAuthenticateRequest, ClientMfaOidcAuthenticateRequest__Output as _defguard_proxy_ClientMfaOidcAuthenticateRequest__Output } from './defguard/proxy/ClientMfaOidcAuthenticateRequest';
import type { ClientMfaStartRequest as _defguard_proxy_ClientMfaStartRequest, ClientMfaStartRequest__Output as _defguard_proxy_ClientMfaStartRequest__Output } from './defguard/proxy/ClientMfaStartRequest';
import type { ClientMfaStartResponse as _defguard_proxy_ClientMfaStartResponse, ClientMfaStartResponse__Output as _defguard_proxy_ClientMfaStartResponse__Output } from './defguard/proxy/ClientMfaStartResponse';
import type { ClientMfaTokenValidationRequest as _defguard_proxy_ClientMfaTokenValidationRequest, ClientMfaTokenValidationRequest__Output as _defguard_proxy_ClientMfaTokenValidationRequest__Output } from './defguard/proxy/ClientMfaTokenValidationRequest';
import type { ClientMfaTokenValidationResponse as _defguard_proxy_ClientMfaTokenValidationResponse, ClientMfaTokenValidationResponse__Output as _defguard_proxy_ClientMfaTokenValidationResponse__Output } from './defguard/proxy/ClientMfaTokenValidationResponse';
import type { ClientPlatformInfo as _defguard_proxy_ClientPlatformInfo, ClientPlatformInfo__Output as _defguard_proxy_ClientPlatformInfo__Output } from './defguard/proxy/ClientPlatformInfo';
import type { CodeMfaSetupFinishRequest as _defguard_proxy_CodeMfaSetupFinishRequest, CodeMfaSetupFinishRequest__Output as _defguard_proxy_CodeMfaSetupFinishRequest__Output } from './defguard/proxy/CodeMfaSetupFinishRequest';
import type { CodeMfaSetupFinishResponse as _defguard_proxy_CodeMfaSetupFinishResponse, CodeMfaSetupFinishResponse__Output as _defguard_proxy_CodeMfaSetupFinishResponse__Output } from './defguard/proxy/CodeMfaSetupFinishResponse';
import type { CodeMfaSetupStartRequest as _defguard_proxy_CodeMfaSetupStartRequest, CodeMfaSetupStartRequest__Output as _defguard_proxy_CodeMfaSetupStartRequest__Output } from './defguard/proxy/CodeMfaSetupStartRequest';
import type { CodeMfaSetupStartResponse as _defguard_proxy_CodeMfaSetupStartResponse, CodeMfaSetupStartResponse__Output as _defguard_proxy_CodeMfaSetupStartResponse__Output } from './defguard/proxy/CodeMfaSetupStartResponse';
import type { CoreError as _defguard_proxy_CoreError, CoreError__Output as _defguard_proxy_CoreError__Output } from './defguard/proxy/CoreError';
import type { CoreRequest as _defguard_proxy_CoreRequest, CoreRequest__Output as _defguard_proxy_CoreRequest__Output } from './defguard/proxy/CoreRequest';
import type { CoreResponse as _defguard_proxy_CoreResponse, CoreResponse__Output as _defguard_proxy_CoreResponse__Output } from './defguard/proxy/CoreResponse';
import type { Device as _defguard_proxy_Device, Device__Output as _defguard_proxy_Device__Output } from './defguard/proxy/Device';
import type { DeviceConfig as _defguard_proxy_DeviceConfig, DeviceConfig__Output as _defguard_proxy_DeviceConfig__Output } from './defguard/proxy/DeviceConfig';
import type { DeviceConfigResponse as _defguard_proxy_DeviceConfigResponse, DeviceConfigResponse__Output as _defguard_proxy_DeviceConfigResponse__Output } from './defguard/proxy/DeviceConfigResponse';
import type { DeviceInfo as _defguard_proxy_DeviceInfo, DeviceInfo__Output as _defguard_proxy_DeviceInfo__Output } from './defguard/proxy/DeviceInfo';
import type { EnrollmentSettings as _defguard_proxy_EnrollmentSettings, EnrollmentSettings__Output as _defguard_proxy_EnrollmentSettings__Output } from './defguard/proxy/EnrollmentSettings';
import type { EnrollmentStartRequest as _defguard_proxy_EnrollmentStartRequest, EnrollmentStartRequest__Output as _defguard_proxy_EnrollmentStartRequest__Output } from './defguard/proxy/EnrollmentStartRequest';
import type { EnrollmentStartResponse as _defguard_proxy_EnrollmentStartResponse, EnrollmentStartResponse__Output as _defguard_proxy_EnrollmentStartResponse__Output } from './defguard/proxy/EnrollmentStartResponse';
import type { ExistingDevice as _defguard_proxy_ExistingDevice, ExistingDevice__Output as _defguard_proxy_ExistingDevice__Output } from './defguard/proxy/ExistingDevice';
import type { InitialUserInfo as _defguard_proxy_InitialUserInfo, InitialUserInfo__Output as _defguard_proxy_InitialUserInfo__Output } from './defguard/proxy/InitialUserInfo';
import type { InstanceInfo as _defguard_proxy_InstanceInfo, InstanceInfo__Output as _defguard_proxy_InstanceInfo__Output } from './defguard/proxy/InstanceInfo';
import type { InstanceInfoRequest as _defguard_proxy_InstanceInfoRequest, InstanceInfoRequest__Output as _defguard_proxy_InstanceInfoRequest__Output } from './defguard/proxy/InstanceInfoRequest';
import type { InstanceInfoResponse as _defguard_proxy_InstanceInfoResponse, InstanceInfoResponse__Output as _defguard_proxy_InstanceInfoResponse__Output } from './defguard/proxy/InstanceInfoResponse';
import type { NewDevice as _defguard_proxy_NewDevice, NewDevice__Output as _defguard_proxy_NewDevice__Output } from './defguard/proxy/NewDevice';
import type { PasswordResetInitializeRequest as _defguard_proxy_PasswordResetInitializeRequest, PasswordResetInitializeRequest__Output as _defguard_proxy_PasswordResetInitializeRequest__Output } from './defguard/proxy/PasswordResetInitializeRequest';
import type { PasswordResetRequest as _defguard_proxy_PasswordResetRequest, PasswordResetRequest__Output as _defguard_proxy_PasswordResetRequest__Output } from './defguard/proxy/PasswordResetRequest';
import type { PasswordResetStartRequest as _defguard_proxy_PasswordResetStartRequest, PasswordResetStartRequest__Output as _defguard_proxy_PasswordResetStartRequest__Output } from './defguard/proxy/PasswordResetStartRequest';
import type { PasswordResetStartResponse as _defguard_proxy_PasswordResetStartResponse, PasswordResetStartResponse__Output as _defguard_proxy_PasswordResetStartResponse__Output } from './defguard/proxy/PasswordResetStartResponse';
import type { ProxyClient as _defguard_proxy_ProxyClient, ProxyDefinition as _defguard_proxy_ProxyDefinition } from './defguard/proxy/Proxy';
import type { RegisterMobileAuthRequest as _defguard_proxy_RegisterMobileAuthRequest, RegisterMobileAuthRequest__Output as _defguard_proxy_RegisterMobileAuthRequest__Output } from './defguard/proxy/RegisterMobileAuthRequest';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from './google/protobuf/Empty';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  defguard: {
    proxy: {
      ActivateUserRequest: MessageTypeDefinition<_defguard_proxy_ActivateUserRequest, _defguard_proxy_ActivateUserRequest__Output>
      AdminInfo: MessageTypeDefinition<_defguard_proxy_AdminInfo, _defguard_proxy_AdminInfo__Output>
      AuthCallbackRequest: MessageTypeDefinition<_defguard_proxy_AuthCallbackRequest, _defguard_proxy_AuthCallbackRequest__Output>
      AuthCallbackResponse: MessageTypeDefinition<_defguard_proxy_AuthCallbackResponse, _defguard_proxy_AuthCallbackResponse__Output>
      AuthInfoRequest: MessageTypeDefinition<_defguard_proxy_AuthInfoRequest, _defguard_proxy_AuthInfoRequest__Output>
      AuthInfoResponse: MessageTypeDefinition<_defguard_proxy_AuthInfoResponse, _defguard_proxy_AuthInfoResponse__Output>
      ClientMfaFinishRequest: MessageTypeDefinition<_defguard_proxy_ClientMfaFinishRequest, _defguard_proxy_ClientMfaFinishRequest__Output>
      ClientMfaFinishResponse: MessageTypeDefinition<_defguard_proxy_ClientMfaFinishResponse, _defguard_proxy_ClientMfaFinishResponse__Output>
      ClientMfaOidcAuthenticateRequest: MessageTypeDefinition<_defguard_proxy_ClientMfaOidcAuthenticateRequest, _defguard_proxy_ClientMfaOidcAuthenticateRequest__Output>
      ClientMfaStartRequest: MessageTypeDefinition<_defguard_proxy_ClientMfaStartRequest, _defguard_proxy_ClientMfaStartRequest__Output>
      ClientMfaStartResponse: MessageTypeDefinition<_defguard_proxy_ClientMfaStartResponse, _defguard_proxy_ClientMfaStartResponse__Output>
      ClientMfaTokenValidationRequest: MessageTypeDefinition<_defguard_proxy_ClientMfaTokenValidationRequest, _defguard_proxy_ClientMfaTokenValidationRequest__Output>
      ClientMfaTokenValidationResponse: MessageTypeDefinition<_defguard_proxy_ClientMfaTokenValidationResponse, _defguard_proxy_ClientMfaTokenValidationResponse__Output>
      ClientPlatformInfo: MessageTypeDefinition<_defguard_proxy_ClientPlatformInfo, _defguard_proxy_ClientPlatformInfo__Output>
      ClientTrafficPolicy: EnumTypeDefinition
      CodeMfaSetupFinishRequest: MessageTypeDefinition<_defguard_proxy_CodeMfaSetupFinishRequest, _defguard_proxy_CodeMfaSetupFinishRequest__Output>
      CodeMfaSetupFinishResponse: MessageTypeDefinition<_defguard_proxy_CodeMfaSetupFinishResponse, _defguard_proxy_CodeMfaSetupFinishResponse__Output>
      CodeMfaSetupStartRequest: MessageTypeDefinition<_defguard_proxy_CodeMfaSetupStartRequest, _defguard_proxy_CodeMfaSetupStartRequest__Output>
      CodeMfaSetupStartResponse: MessageTypeDefinition<_defguard_proxy_CodeMfaSetupStartResponse, _defguard_proxy_CodeMfaSetupStartResponse__Output>
      CoreError: MessageTypeDefinition<_defguard_proxy_CoreError, _defguard_proxy_CoreError__Output>
      CoreRequest: MessageTypeDefinition<_defguard_proxy_CoreRequest, _defguard_proxy_CoreRequest__Output>
      CoreResponse: MessageTypeDefinition<_defguard_proxy_CoreResponse, _defguard_proxy_CoreResponse__Output>
      Device: MessageTypeDefinition<_defguard_proxy_Device, _defguard_proxy_Device__Output>
      DeviceConfig: MessageTypeDefinition<_defguard_proxy_DeviceConfig, _defguard_proxy_DeviceConfig__Output>
      DeviceConfigResponse: MessageTypeDefinition<_defguard_proxy_DeviceConfigResponse, _defguard_proxy_DeviceConfigResponse__Output>
      DeviceInfo: MessageTypeDefinition<_defguard_proxy_DeviceInfo, _defguard_proxy_DeviceInfo__Output>
      EnrollmentSettings: MessageTypeDefinition<_defguard_proxy_EnrollmentSettings, _defguard_proxy_EnrollmentSettings__Output>
      EnrollmentStartRequest: MessageTypeDefinition<_defguard_proxy_EnrollmentStartRequest, _defguard_proxy_EnrollmentStartRequest__Output>
      EnrollmentStartResponse: MessageTypeDefinition<_defguard_proxy_EnrollmentStartResponse, _defguard_proxy_EnrollmentStartResponse__Output>
      ExistingDevice: MessageTypeDefinition<_defguard_proxy_ExistingDevice, _defguard_proxy_ExistingDevice__Output>
      InitialUserInfo: MessageTypeDefinition<_defguard_proxy_InitialUserInfo, _defguard_proxy_InitialUserInfo__Output>
      InstanceInfo: MessageTypeDefinition<_defguard_proxy_InstanceInfo, _defguard_proxy_InstanceInfo__Output>
      InstanceInfoRequest: MessageTypeDefinition<_defguard_proxy_InstanceInfoRequest, _defguard_proxy_InstanceInfoRequest__Output>
      InstanceInfoResponse: MessageTypeDefinition<_defguard_proxy_InstanceInfoResponse, _defguard_proxy_InstanceInfoResponse__Output>
      LocationMfaMode: EnumTypeDefinition
      MfaMethod: EnumTypeDefinition
      NewDevice: MessageTypeDefinition<_defguard_proxy_NewDevice, _defguard_proxy_NewDevice__Output>
      PasswordResetInitializeRequest: MessageTypeDefinition<_defguard_proxy_PasswordResetInitializeRequest, _defguard_proxy_PasswordResetInitializeRequest__Output>
      PasswordResetRequest: MessageTypeDefinition<_defguard_proxy_PasswordResetRequest, _defguard_proxy_PasswordResetRequest__Output>
      PasswordResetStartRequest: MessageTypeDefinition<_defguard_proxy_PasswordResetStartRequest, _defguard_proxy_PasswordResetStartRequest__Output>
      PasswordResetStartResponse: MessageTypeDefinition<_defguard_proxy_PasswordResetStartResponse, _defguard_proxy_PasswordResetStartResponse__Output>
      Proxy: SubtypeConstructor<typeof grpc.Client, _defguard_proxy_ProxyClient> & { service: _defguard_proxy_ProxyDefinition }
      RegisterMobileAuthRequest: MessageTypeDefinition<_defguard_proxy_RegisterMobileAuthRequest, _defguard_proxy_RegisterMobileAuthRequest__Output>
      ServiceLocationMode: EnumTypeDefinition
    }
  }
  google: {
    protobuf: {
      Empty: MessageTypeDefinition<_google_protobuf_Empty, _google_protobuf_Empty__Output>
    }
  }
}

