// Enrollment of a new user (WIRE.md): start with the emailed token, then, with the token kept in the
// `defguard_proxy` cookie, set a password, register devices, set up MFA.
import { Hono } from "hono";
import { z } from "zod";
import { MfaMethod } from "../../proto/generated/defguard/proxy/MfaMethod.ts";
import type { AppEnv } from "../http/app-env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { ENROLLMENT_COOKIE } from "../http/session-cookies.ts";
import { type RouteDeps, askCore, reply } from "./core-call.ts";

/** The enrollment pages name the method as Defguard's frontend does; the proto wants its number. */
const codeMfaMethod = z.enum(["Totp", "Email"]).transform((m) => (m === "Totp" ? MfaMethod.TOTP : MfaMethod.EMAIL));

const schemas = {
  start: z.object({ token: z.string() }),
  activateUser: z.object({ password: z.string(), phone_number: z.string().nullish() }),
  createDevice: z.object({ name: z.string(), pubkey: z.string() }),
  networkInfo: z.object({ pubkey: z.string() }),
  mfaStart: z.object({ method: codeMfaMethod }),
  mfaFinish: z.object({ method: codeMfaMethod, code: z.string() }),
};

/** Routes under /api/v1/enrollment. */
export function enrollmentRoutes({ core, cookies }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post("/start", async (c) => {
      const { token } = await readJsonBody(c, schemas.start);
      const answer = await askCore(c, core, { enrollment_start: { token } }, "enrollment_start");
      cookies.set(c, ENROLLMENT_COOKIE, token, answer.deadline_timestamp);
      return reply(c, "enrollment_start", answer);
    })
    .post("/activate_user", async (c) => {
      const body = await readJsonBody(c, schemas.activateUser);
      const token = cookies.read(c, ENROLLMENT_COOKIE);
      const answer = await askCore(c, core, { activate_user: { password: body.password, phone_number: body.phone_number ?? undefined, token } }, "empty");
      cookies.remove(c, ENROLLMENT_COOKIE);
      return reply(c, "empty", answer);
    })
    .post("/create_device", async (c) => {
      const { name, pubkey } = await readJsonBody(c, schemas.createDevice);
      const token = cookies.read(c, ENROLLMENT_COOKIE);
      return reply(c, "device_config", await askCore(c, core, { new_device: { name, pubkey, token } }, "device_config"));
    })
    .post("/network_info", async (c) => {
      const { pubkey } = await readJsonBody(c, schemas.networkInfo);
      const token = cookies.read(c, ENROLLMENT_COOKIE);
      return reply(c, "device_config", await askCore(c, core, { existing_device: { pubkey, token } }, "device_config"));
    })
    .post("/register-mfa/code/start", async (c) => {
      const { method } = await readJsonBody(c, schemas.mfaStart);
      const token = cookies.read(c, ENROLLMENT_COOKIE) ?? "";
      const answer = await askCore(c, core, { code_mfa_setup_start: { method, token } }, "code_mfa_setup_start_response");
      return reply(c, "code_mfa_setup_start_response", answer);
    })
    .post("/register-mfa/code/finish", async (c) => {
      const { method, code } = await readJsonBody(c, schemas.mfaFinish);
      const token = cookies.read(c, ENROLLMENT_COOKIE) ?? "";
      const answer = await askCore(c, core, { code_mfa_setup_finish: { method, code, token } }, "code_mfa_setup_finish_response");
      return reply(c, "code_mfa_setup_finish_response", answer);
    });
}
