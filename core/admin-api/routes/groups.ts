// Groups and their members.
import { Hono } from "hono";
import { z } from "zod";
import { addUserToGroup, createGroup, listGroups, removeUserFromGroup } from "../../store/groups.ts";
import { groupNameSchema } from "../../networks/network-schema.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

const newGroupSchema = z.object({ name: groupNameSchema });

export function groupRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;

  app.get("/group", async (c) => c.json(await listGroups(sql)));

  app.post("/group", async (c) => {
    const { name } = await readBody(c, newGroupSchema);
    return c.json(await createGroup(sql, name), 201);
  });

  app.post("/group/:name/user/:username", async (c) => {
    await addUserToGroup(sql, c.req.param("name"), c.req.param("username"));
    return c.body(null, 200);
  });

  app.delete("/group/:name/user/:username", async (c) => {
    await removeUserFromGroup(sql, c.req.param("name"), c.req.param("username"));
    return c.body(null, 200);
  });

  return app;
}
