// Starting an enrollment (a new user sets a password and adds a device) or a desktop-client setup (an
// enrolled user adds a device): a fresh ENROLLMENT token and the link the user opens on the Proxy.
import { invalidArgument, notFound } from "../../shared/errors.ts";
import { issueUserToken } from "../store/user-tokens.ts";
import { getUserInfo, type UserInfo } from "../store/users.ts";
import type { Queryable } from "../store/queryable.ts";

export type EnrollmentKind = "enrollment" | "desktop";

export interface StartEnrollmentInput {
  username: string;
  kind: EnrollmentKind;
  /** The admin starting it; null from the command line. */
  adminId: number | null;
  /** Where to send the invitation; the user's own email when absent. */
  email?: string | null;
  /** DEFGUARD_ENROLLMENT_URL, the Proxy's public address. */
  enrollmentUrl: string;
  /** DEFGUARD_ENROLLMENT_TOKEN_TIMEOUT in seconds. */
  tokenValidForS: number;
}

export interface StartedEnrollment {
  kind: EnrollmentKind;
  user: UserInfo;
  token: string;
  /** `<DEFGUARD_ENROLLMENT_URL>/?token=<token>` */
  url: string;
  email: string;
  expiresAt: Date;
}

/** The enrollment link: the Proxy's URL with the token as `token` query parameter. */
export function enrollmentLink(enrollmentUrl: string, token: string): string {
  const url = new URL(enrollmentUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * Issues the token, replacing the user's unused enrollment tokens. Throws NOT_FOUND for an unknown user,
 * INVALID_ARGUMENT for an enrollment of a user who already has a password, or a desktop setup of a
 * disabled user.
 */
export async function startEnrollment(q: Queryable, input: StartEnrollmentInput): Promise<StartedEnrollment> {
  const user = await getUserInfo(q, input.username);
  if (!user) throw notFound(`user ${input.username} not found`);
  if (input.kind === "enrollment" && user.enrolled) {
    throw invalidArgument(`user ${user.username} has already enrolled; use start_desktop to configure a desktop client`);
  }
  if (input.kind === "desktop" && !user.is_active) throw invalidArgument(`user ${user.username} is disabled`);
  const email = input.email ?? user.email;
  const issued = await issueUserToken(q, {
    kind: "ENROLLMENT",
    userId: user.id,
    adminId: input.adminId,
    email,
    validForS: input.tokenValidForS,
  });
  return { kind: input.kind, user, token: issued.token, url: enrollmentLink(input.enrollmentUrl, issued.token), email, expiresAt: issued.expiresAt };
}
