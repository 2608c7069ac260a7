// Original file: proto/proxy.proto

import type { AdminInfo as _defguard_proxy_AdminInfo, AdminInfo__Output as _defguard_proxy_AdminInfo__Output } from '../../defguard/proxy/AdminInfo';
import type { InitialUserInfo as _defguard_proxy_InitialUserInfo, InitialUserInfo__Output as _defguard_proxy_InitialUserInfo__Output } from '../../defguard/proxy/InitialUserInfo';
import type { InstanceInfo as _defguard_proxy_InstanceInfo, InstanceInfo__Output as _defguard_proxy_InstanceInfo__Output } from '../../defguard/proxy/InstanceInfo';
import type { EnrollmentSettings as _defguard_proxy_EnrollmentSettings, EnrollmentSettings__Output as _defguard_proxy_EnrollmentSettings__Output } from '../../defguard/proxy/EnrollmentSettings';
import type { Long } from '@grpc/proto-loader';

export interface EnrollmentStartResponse {
  'admin'?: (_defguard_proxy_AdminInfo | null);
  'user'?: (_defguard_proxy_InitialUserInfo | null);
  'deadline_timestamp'?: (number | string | Long);
  'final_page_content'?: (string);
  'instance'?: (_defguard_proxy_InstanceInfo | null);
  'settings'?: (_defguard_proxy_EnrollmentSettings | null);
}

export interface EnrollmentStartResponse__Output {
  'admin': (_defguard_proxy_AdminInfo__Output | null);
  'user': (_defguard_proxy_InitialUserInfo__Output | null);
  'deadline_timestamp': (number);
  'final_page_content': (string);
  'instance': (_defguard_proxy_InstanceInfo__Output | null);
  'settings': (_defguard_proxy_EnrollmentSettings__Output | null);
}
