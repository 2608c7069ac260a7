// Devices of a user: listing and deleting.
import { Hono } from "hono";
import { notFound } from "../../../shared/errors.ts";
import { deleteDevice, listUserDevices } from "../../store/devices.ts";
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

  app.delete("/device/:id{[0-9]{1,15}}", async (c) => {
    const id = c.req.param("id");
    if (!(await deleteDevice(sql, Number(id)))) throw notFound(`device ${id} not found`);
    deps.log.info(`Admin ${c.get("session").username} deleted device ${id}`);
    return c.body(null, 200);
  });

  return app;
}
