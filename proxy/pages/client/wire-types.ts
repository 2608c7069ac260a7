// The JSON the Proxy's API answers, typed from the proto (WIRE.md: proto field names, 64-bit integers
// as numbers, unset optional fields as null). Types only: nothing here reaches the bundle.
import type { DeviceConfigResponse__Output } from "../../../proto/generated/defguard/proxy/DeviceConfigResponse.ts";
import type { EnrollmentStartResponse__Output } from "../../../proto/generated/defguard/proxy/EnrollmentStartResponse.ts";
import type { PasswordResetStartResponse__Output } from "../../../proto/generated/defguard/proxy/PasswordResetStartResponse.ts";

/** A proto message's `__Output` type as the Proxy's JSON: optional fields may be null, virtual `_x` fields gone. */
export type WireJson<T> = T extends readonly (infer U)[]
  ? WireJson<U>[]
  : T extends object
    ? { [K in keyof T as K extends `_${string}` ? never : K]-?: undefined extends T[K] ? WireJson<Exclude<T[K], undefined>> | null : WireJson<T[K]> }
    : T;

export type EnrollmentStart = WireJson<EnrollmentStartResponse__Output>;
export type DeviceConfigAnswer = WireJson<DeviceConfigResponse__Output>;
export type DeviceConfigEntry = DeviceConfigAnswer["configs"][number];
export type PasswordResetStart = WireJson<PasswordResetStartResponse__Output>;
export interface MfaSetupStart {
  totp_secret: string | null;
}
export interface MfaSetupFinish {
  recovery_codes: string[];
}
