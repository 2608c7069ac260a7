// A signed-in user's own second factors, on Defguard 1.6's paths where they do not clash with the login
// steps: TOTP (`POST /auth/totp/init` → secret and otpauth URI, `POST /auth/totp` with a code → enabled,
// `DELETE /auth/totp`), email codes (`POST /auth/email/init` mails a code, `POST /auth/email/enable`
// with it → enabled, `DELETE /auth/email`; Defguard enables with `POST /auth/email`, which here mails a
// login code), and `POST /auth/recovery_codes` for new recovery codes. Enabling answers Defguard's
// `{codes}`: the recovery codes the first time MFA is turned on, else null.
import { type Context, Hono } from "hono";
import { z } from "zod";
import { unauthenticated } from "../../../shared/errors.ts";
import { METHOD_LABEL } from "../../mfa/mfa-method.ts";
import { confirmMethod, disableMethod, regenerateRecoveryCodes, startEmailSetup, startTotpSetup } from "../../mfa/method-setup.ts";
import { type CodeMethod, totpUri } from "../../mfa/one-time-codes.ts";
import { secretBoxOf } from "../../mfa/secret-box.ts";
import { type MfaUser, loadMfaUser } from "../../mfa/user-mfa.ts";
import { getSettings } from "../../store/settings.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";
import { requireSession } from "../session-guard.ts";

const codeSchema = z.object({ code: z.string({ error: "expected a string" }).min(1, "must not be empty").max(64, "expected at most 64 characters") });

const SELF_MFA_PATHS = ["/auth/totp/init", "/auth/totp", "/auth/email/init", "/auth/email/enable", "/auth/recovery_codes"];

export function selfMfaRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;
  const secrets = secretBoxOf(deps.config);
  for (const path of SELF_MFA_PATHS) app.use(path, requireSession(deps));
  // DELETE /auth/email only: GET and POST there belong to the login's second step.
  app.on("DELETE", "/auth/email", requireSession(deps));

  const me = async (userId: number): Promise<MfaUser> => {
    const user = await loadMfaUser(sql, userId, secrets);
    if (!user) throw unauthenticated("log in first: no valid session");
    return user;
  };

  const enable = (method: CodeMethod) => async (c: Context<AdminEnv>) => {
    const { code } = await readBody(c, codeSchema);
    const session = c.get("session");
    const codes = await confirmMethod(sql, session.userId, method, code, secrets);
    deps.log.info(`User ${session.username} enabled ${METHOD_LABEL[method]}${codes.length ? ", recovery codes issued" : ""}`);
    return c.json({ codes: codes.length ? codes : null });
  };

  const disable = (method: CodeMethod) => async (c: Context<AdminEnv>) => {
    const session = c.get("session");
    await disableMethod(sql, session.userId, method);
    deps.log.info(`User ${session.username} turned off ${METHOD_LABEL[method]}`);
    return c.json({});
  };

  app.post("/auth/totp/init", async (c) => {
    const user = await me(c.get("session").userId);
    const secret = await startTotpSetup(sql, user, secrets);
    const { instance_name } = await getSettings(sql);
    return c.json({ secret, uri: totpUri(secret, instance_name, user.username) });
  });
  app.post("/auth/totp", enable("totp"));
  app.delete("/auth/totp", disable("totp"));

  app.post("/auth/email/init", async (c) => {
    await startEmailSetup(deps, await me(c.get("session").userId));
    return c.json({});
  });
  app.post("/auth/email/enable", enable("email"));
  app.delete("/auth/email", disable("email"));

  app.post("/auth/recovery_codes", async (c) => {
    const session = c.get("session");
    const codes = await regenerateRecoveryCodes(sql, session.userId);
    deps.log.info(`User ${session.username} made new recovery codes`);
    return c.json({ codes });
  });

  return app;
}
