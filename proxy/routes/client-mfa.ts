// Desktop-client MFA before a VPN connection (WIRE.md): start a session for a location, finish it with
// a code; the desktop client carries the session token itself, no cookie.
import { Hono } from "hono";
import { z } from "zod";
import { MfaMethod } from "../../proto/generated/defguard/proxy/MfaMethod.ts";
import type { AppEnv } from "../http/app-env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { type RouteDeps, askCore, reply } from "./core-call.ts";

/** The desktop client sends MfaMethod as its proto number. */
const mfaMethodNumber = z.literal(Object.values(MfaMethod));

const schemas = {
  start: z.object({
    location_id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    pubkey: z.string(),
    method: mfaMethodNumber,
  }),
  finish: z.object({ token: z.string(), code: z.string(), auth_pub_key: z.string().nullish() }),
};

/** Routes under /api/v1/client-mfa. */
export function clientMfaRoutes({ core }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post("/start", async (c) => {
      const body = await readJsonBody(c, schemas.start);
      return reply(c, "client_mfa_start", await askCore(c, core, { client_mfa_start: body }, "client_mfa_start"));
    })
    .post("/finish", async (c) => {
      const { token, code, auth_pub_key } = await readJsonBody(c, schemas.finish);
      const request = { client_mfa_finish: { token, code, auth_pub_key: auth_pub_key ?? undefined } };
      return reply(c, "client_mfa_finish", await askCore(c, core, request, "client_mfa_finish"));
    });
}
