// User administration: list, create, read, change, delete, and the enrollment links.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { invalidArgument, notFound } from "../../../shared/errors.ts";
import { deleteUserSessions } from "../../store/sessions.ts";
import { createUser, deleteUser, getUserInfo, listUsers, updateUser } from "../../store/users.ts";
import { type EnrollmentKind, startEnrollment } from "../../users/start-enrollment.ts";
import { emailSchema, newUserSchema, userUpdateSchema } from "../../users/user-schema.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

const startEnrollmentSchema = z.object({
  send_enrollment_notification: z.boolean({ error: "expected true or false" }).default(false),
  email: emailSchema.nullish(),
});

/**
 * `start_enrollment` / `start_desktop` for the user in the path: 201 `{enrollment_token, enrollment_url}`,
 * the mail queued when asked. The caller's right to do it is checked before (admin, or the user themself
 * for start_desktop in self-service.ts).
 */
export function startEnrollmentHandler(deps: AdminAppDeps, kind: EnrollmentKind) {
  return async function startEnrollmentRoute(c: Context<AdminEnv>): Promise<Response> {
    const body = await readBody(c, startEnrollmentSchema);
    const notify = deps.sendEnrollmentNotification;
    if (body.send_enrollment_notification && !notify) {
      throw invalidArgument("send_enrollment_notification: mail is not configured on this core");
    }
    const started = await startEnrollment(deps.sql, {
      username: c.req.param("username")!,
      kind,
      adminId: c.get("session").userId,
      email: body.email,
      enrollmentUrl: deps.config.enrollmentUrl,
      tokenValidForS: deps.config.timeouts.enrollmentTokenS,
    });
    if (body.send_enrollment_notification) await notify!(started);
    deps.log.info(`${c.get("session").isAdmin ? "Admin" : "User"} ${c.get("session").username} started ${kind} of user ${started.user.username}`);
    return c.json({ enrollment_token: started.token, enrollment_url: started.url }, 201);
  };
}

export function userRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;

  app.get("/user", async (c) => c.json(await listUsers(sql)));

  app.post("/user", async (c) => {
    const user = await createUser(sql, await readBody(c, newUserSchema));
    deps.log.info(`Admin ${c.get("session").username} added user ${user.username}`);
    return c.json(user, 201);
  });

  app.get("/user/:username", async (c) => {
    const user = await getUserInfo(sql, c.req.param("username"));
    if (!user) throw notFound(`user ${c.req.param("username")} not found`);
    return c.json(user);
  });

  app.put("/user/:username", async (c) => {
    const username = c.req.param("username");
    const user = await updateUser(sql, username, await readBody(c, userUpdateSchema));
    if (!user) throw notFound(`user ${username} not found`);
    if (!user.is_active) await deleteUserSessions(sql, user.id);
    await deps.events?.publish({ type: "user", userId: user.id });
    return c.json(user);
  });

  app.delete("/user/:username", async (c) => {
    const username = c.req.param("username");
    if (username === c.get("session").username) throw invalidArgument("you cannot delete your own account");
    const user = await getUserInfo(sql, username);
    if (!user || !(await deleteUser(sql, username))) throw notFound(`user ${username} not found`);
    await deps.events?.publish({ type: "user", userId: user.id });
    deps.log.info(`Admin ${c.get("session").username} deleted user ${username}`);
    return c.body(null, 200);
  });

  for (const kind of ["enrollment", "desktop"] as const) app.post(`/user/:username/${kind === "enrollment" ? "start_enrollment" : "start_desktop"}`, startEnrollmentHandler(deps, kind));

  return app;
}
