// What the enrollment's step modules share: the Core's answer to enrollment/start and the moves between
// steps. Kept apart so that the steps do not import the controller that imports them.
import type { EnrollmentStart } from "./wire-types.ts";

export type EnrollmentStep = "welcome" | "personal" | "password" | "mfa" | "device" | "config" | "done";

export interface EnrollmentContext {
  readonly info: EnrollmentStart;
  /** Shows `step`; the progress list marks it (config counts as the device step). */
  go(step: EnrollmentStep): void;
  /** The step on screen. */
  readonly current: EnrollmentStep;
  /** Activates the account with the password and phone given (this spends the token), then shows the final page. Throws ApiError. */
  finish(): Promise<void>;
}
