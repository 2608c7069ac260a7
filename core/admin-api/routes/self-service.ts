// What every signed-in user may do to their own account, admin or not: change their password, make a
// desktop-client activation link for themselves.
import { Hono } from "hono";
import { z } from "zod";
import { invalidArgument, unauthenticated } from "../../../shared/errors.ts";
import { deleteOtherSessions } from "../../store/sessions.ts";
import { findUserById, setUserPassword } from "../../store/users.ts";
import { verifyPassword } from "../../users/passwords.ts";
import { strongPasswordSchema } from "../../users/user-schema.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";
import { readSessionCookie, requireSession } from "../session-guard.ts";
import { startEnrollmentHandler } from "./users.ts";

export const SELF_SERVICE_MESSAGES = {
  wrongOldPassword: "old_password: this is not your current password",
} as const;

const changePasswordSchema = z.object({
  old_password: z.string({ error: "expected a string" }).min(1, "must not be empty"),
  new_password: strongPasswordSchema,
});

/** Mounted before the admin routes, so that a non-admin reaches them; each requires a session. */
export function selfServiceRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;
  app.use("/user/change_password", requireSession(deps));
  const startDesktop = startEnrollmentHandler(deps, "desktop");

  /** Defguard's `PUT /user/change_password`: 200 `{}`; 400 naming the field for a wrong old or a weak new password. */
  app.put("/user/change_password", async (c) => {
    const body = await readBody(c, changePasswordSchema);
    const session = c.get("session");
    const user = await findUserById(sql, session.userId);
    if (!user) throw unauthenticated("log in first: no valid session");
    if (!(await verifyPassword(body.old_password, user.password_hash))) throw invalidArgument(SELF_SERVICE_MESSAGES.wrongOldPassword);
    await setUserPassword(sql, user.id, body.new_password);
    const ended = await deleteOtherSessions(sql, user.id, readSessionCookie(c) ?? "");
    deps.log.info(`User ${user.username} changed their password`, { other_sessions_ended: ended });
    return c.json({});
  });

  /** The desktop-client activation link for oneself; another user's is the admin route's (falls through). */
  app.post("/user/:username/start_desktop", requireSession(deps), async (c, next) => {
    if (c.req.param("username") !== c.get("session").username) return next();
    return startDesktop(c);
  });

  return app;
}
