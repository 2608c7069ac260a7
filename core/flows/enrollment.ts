// The enrollment flow over the link (Defguard 1.6): `enrollment_start` opens a token's session,
// `new_device` and `existing_device` hand out device configurations, `activate_user` sets the password.
// The pieces live in ./enrollment/; this file only names the handlers.
import type { HandlerMap } from "../dispatcher.ts";
import { activateUser } from "./enrollment/activate-user.ts";
import type { EnrollmentDeps } from "./enrollment/deps.ts";
import { existingDevice } from "./enrollment/existing-device.ts";
import { createDevice } from "./enrollment/new-device.ts";
import { startEnrollment } from "./enrollment/start.ts";

export type { EnrollmentDeps } from "./enrollment/deps.ts";
export { SESSION_MESSAGES } from "./enrollment/session.ts";
export { DEVICE_MESSAGES } from "./enrollment/device-input.ts";
export { ALREADY_ACTIVATED_MESSAGE } from "./enrollment/activate-user.ts";
export { PHONE_NUMBER_MESSAGE } from "./enrollment/phone-number.ts";
export { ENROLLMENT_POLICY_MESSAGES } from "./enrollment/enrollment-policy.ts";

/** Handlers for enrollment_start, activate_user, new_device and existing_device. */
export function enrollmentHandlers(deps: EnrollmentDeps): HandlerMap {
  return {
    enrollment_start: async function enrollmentStart(request, context) {
      return startEnrollment(deps, request, context);
    },
    activate_user: async function activateUserHandler(request, context) {
      return activateUser(deps, request, context);
    },
    new_device: async function newDevice(request, context) {
      return createDevice(deps, request, context);
    },
    existing_device: async function existingDeviceHandler(request, context) {
      return existingDevice(deps, request, context.deviceInfo);
    },
  };
}
