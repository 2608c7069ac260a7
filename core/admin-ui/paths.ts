// Where the UI sends people: the sign-in page, the forced password change, and each person's start page.
import type { Viewer } from "./page.ts";

export const SIGN_IN_PATH = "/ui/login";
export const CHANGE_PASSWORD_PATH = "/ui/change-password";

/** Where a signed-in person starts: the password change while it is the default, else their section. */
export function homeOf(viewer: Viewer): string {
  if (viewer.mustChangePassword) return CHANGE_PASSWORD_PATH;
  return viewer.isAdmin ? "/ui/overview" : "/ui/account";
}
