// The desktop client's polling (WIRE.md): its polling token gives the device's current configuration.
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/app-env.ts";
import { readJsonBody } from "../http/json-body.ts";
import { type RouteDeps, askCore, reply } from "./core-call.ts";

const pollSchema = z.object({ token: z.string() });

/** The route /api/v1/poll. */
export function pollingRoutes({ core }: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().post("/", async (c) => {
    const { token } = await readJsonBody(c, pollSchema);
    return reply(c, "instance_info", await askCore(c, core, { instance_info: { token } }, "instance_info"));
  });
}
