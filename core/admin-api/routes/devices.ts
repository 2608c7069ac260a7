// Devices of a user: listing, adding (POST /device/{username} {"name", "wireguard_pubkey"} → 201 the
// device with its networks, as Defguard's admin adds one) and deleting.
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../../../shared/errors.ts";
import { parseDeviceName, parsePublicKey } from "../../flows/enrollment/device-input.ts";
import { addDevice, deleteDevice, listUserDevices } from "../../store/devices.ts";
import { readBody } from "../body.ts";
import { getUserInfo } from "../../store/users.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

const newDeviceSchema = z.object({
  name: z.string({ error: "expected a device name" }),
  wireguard_pubkey: z.string({ error: "expected a WireGuard public key" }),
});

export function deviceRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;

  app.get("/device/user/:username", async (c) => {
    const username = c.req.param("username");
    if (!(await getUserInfo(sql, username))) throw notFound(`user ${username} not found`);
    return c.json(await listUserDevices(sql, username));
  });

  app.post("/device/:username", async (c) => {
    const username = c.req.param("username");
    const body = await readBody(c, newDeviceSchema);
    const user = await getUserInfo(sql, username);
    if (!user) throw notFound(`user ${username} not found`);
    const id = await addDevice(sql, user.id, parseDeviceName(body.name), parsePublicKey(body.wireguard_pubkey));
    await deps.events?.publish({ type: "devices", deviceIds: [id] });
    deps.log.info(`Admin ${c.get("session").username} added device ${id} for user ${username}`);
    const device = (await listUserDevices(sql, username)).find((d) => d.id === id);
    return c.json(device, 201);
  });

  app.delete("/device/:id{[0-9]{1,15}}", async (c) => {
    const id = c.req.param("id");
    if (!(await deleteDevice(sql, Number(id)))) throw notFound(`device ${id} not found`);
    await deps.events?.publish({ type: "devices", deviceIds: [Number(id)] });
    deps.log.info(`Admin ${c.get("session").username} deleted device ${id}`);
    return c.body(null, 200);
  });

  return app;
}
