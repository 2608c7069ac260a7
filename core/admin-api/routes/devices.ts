// Devices of a user: listing (admins). Adding and deleting are in own-devices.ts, open to owners too.
import { Hono } from "hono";
import { notFound } from "../../../shared/errors.ts";
import { listUserDevices } from "../../store/devices.ts";
import { getUserInfo } from "../../store/users.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

export function deviceRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;

  app.get("/device/user/:username", async (c) => {
    const username = c.req.param("username");
    if (!(await getUserInfo(sql, username))) throw notFound(`user ${username} not found`);
    return c.json(await listUserDevices(sql, username));
  });

  return app;
}
