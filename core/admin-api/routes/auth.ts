// Logging in and out of the admin API, and `/me` for any logged-in user.
import { Hono } from "hono";
import { getConnInfo } from "hono/bun";
import { z } from "zod";
import { unauthenticated } from "../../../shared/errors.ts";
import { createSession, deleteSession } from "../../store/sessions.ts";
import { type UserRecord, findUserByLogin, getUserInfoById, replacePasswordHash } from "../../store/users.ts";
import { hashPassword, needsRehash, verifyPassword } from "../../users/passwords.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";
import { clearSessionCookie, readSessionCookie, requireSession, setSessionCookie } from "../session-guard.ts";

const loginSchema = z.object({
  username: z.string({ error: "expected a string" }).min(1, "must not be empty"),
  password: z.string({ error: "expected a string" }).min(1, "must not be empty"),
});

const WRONG_CREDENTIALS = "invalid username or password";

/** The client's address as the socket saw it; absent when the app runs without a server (tests). */
function clientAddress(c: Parameters<typeof getConnInfo>[0]): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/** A hash made with weaker settings than today's (an older install, an import) is replaced while the password is at hand. */
async function upgradeHash(deps: AdminAppDeps, user: UserRecord, password: string): Promise<void> {
  const oldHash = user.password_hash;
  if (oldHash === null || !needsRehash(oldHash)) return;
  if (await replacePasswordHash(deps.sql, user.id, oldHash, await hashPassword(password))) {
    deps.log.info(`Password hash of ${user.username} upgraded to the current Argon2id parameters`);
  }
}

export function authRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.post("/auth", async (c) => {
    const body = await readBody(c, loginSchema);
    const user = await findUserByLogin(deps.sql, body.username);
    // Same answer, and the same Argon2 work, for unknown users, users without a password and disabled ones.
    const valid = await verifyPassword(body.password, user?.password_hash ?? null);
    if (!user || !valid || !user.is_active) throw unauthenticated(WRONG_CREDENTIALS);
    await upgradeHash(deps, user, body.password);
    const session = await createSession(deps.sql, user.id, deps.config.timeouts.sessionS, {
      ipAddress: clientAddress(c),
      userAgent: c.req.header("user-agent") ?? null,
    });
    setSessionCookie(c, deps, session);
    deps.log.info(`User ${user.username} logged in to the admin API`);
    return c.json({ user: await getUserInfoById(deps.sql, user.id) });
  });

  app.post("/auth/logout", async (c) => {
    const id = readSessionCookie(c);
    if (id) await deleteSession(deps.sql, id);
    clearSessionCookie(c, deps);
    return c.body(null, 200);
  });

  app.get("/me", requireSession(deps), async (c) => {
    const user = await getUserInfoById(deps.sql, c.get("session").userId);
    if (!user) throw unauthenticated("log in first: no valid session");
    return c.json(user);
  });

  return app;
}
