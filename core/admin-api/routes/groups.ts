// Groups and their members.
import { Hono } from "hono";
import { z } from "zod";
import { addUserToGroup, createGroup, deleteGroup, listGroups, removeUserFromGroup, renameGroup } from "../../store/groups.ts";
import { groupNameSchema } from "../../networks/network-schema.ts";
import { getUserInfo } from "../../store/users.ts";
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

  /** Rename: 200 with the group; 400 for `admin` or a bad name, 404, 409 for a taken name. */
  app.put("/group/:name", async (c) => {
    const { name } = await readBody(c, newGroupSchema);
    const group = await renameGroup(sql, c.req.param("name"), name);
    deps.log.info(`Admin ${c.get("session").username} renamed group ${c.req.param("name")} to ${name}`);
    return c.json(group);
  });

  /** 200 empty; 400 for `admin`, 404 for an unknown group. */
  app.delete("/group/:name", async (c) => {
    // Its members may have lost networks it opened to them: their gateways follow.
    for (const userId of await deleteGroup(sql, c.req.param("name"))) await deps.events?.publish({ type: "user", userId });
    deps.log.info(`Admin ${c.get("session").username} deleted group ${c.req.param("name")}`);
    return c.body(null, 200);
  });

  /** A membership change may let the user's devices into networks, or out: their gateways follow. */
  const membersChanged = async (username: string) => {
    const user = await getUserInfo(sql, username);
    if (user) await deps.events?.publish({ type: "user", userId: user.id });
  };

  app.post("/group/:name/user/:username", async (c) => {
    await addUserToGroup(sql, c.req.param("name"), c.req.param("username"));
    await membersChanged(c.req.param("username"));
    return c.body(null, 200);
  });

  app.delete("/group/:name/user/:username", async (c) => {
    await removeUserFromGroup(sql, c.req.param("name"), c.req.param("username"));
    await membersChanged(c.req.param("username"));
    return c.body(null, 200);
  });

  return app;
}
