// Password reset (WIRE.md): request a mail, open the session with its token (kept in the
// `defguard_proxy_password_reset` cookie), set the new password.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/app-env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { PASSWORD_RESET_COOKIE } from "../http/session-cookies.ts";
import { type RouteDeps, askCore, reply } from "./core-call.ts";

const schemas = {
  request: z.object({ email: z.string() }),
  start: z.object({ token: z.string() }),
  reset: z.object({ password: z.string() }),
};

/** Routes under /api/v1/password-reset. */
export function passwordResetRoutes({ core, cookies }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post("/request", async (c) => {
      const { email } = await readJsonBody(c, schemas.request);
      return reply(c, "empty", await askCore(c, core, { password_reset_init: { email } }, "empty"));
    })
    .post("/start", async (c) => {
      const { token } = await readJsonBody(c, schemas.start);
      const answer = await askCore(c, core, { password_reset_start: { token } }, "password_reset_start");
      cookies.set(c, PASSWORD_RESET_COOKIE, token, answer.deadline_timestamp);
      return reply(c, "password_reset_start", answer);
    })
    .post("/reset", async (c) => {
      const { password } = await readJsonBody(c, schemas.reset);
      const token = cookies.read(c, PASSWORD_RESET_COOKIE);
      const answer = await askCore(c, core, { password_reset: { password, token } }, "empty");
      cookies.remove(c, PASSWORD_RESET_COOKIE);
      return reply(c, "empty", answer);
    });
}
