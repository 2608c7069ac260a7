// Devices of a user: listing, adding (POST /device/{username} {"name", "wireguard_pubkey"} → 201 the
// device with its networks and `configs`, its configuration per network with YOUR_PRIVATE_KEY, as
// Defguard's admin adds one; a refusal names its field: `name: ...`, `wireguard_pubkey: ...`) and deleting.
import { Hono } from "hono";
import { z } from "zod";
import { AppError, invalidArgument, notFound } from "../../../shared/errors.ts";
import { DEVICE_MESSAGES, parseDeviceName, parsePublicKey } from "../../flows/enrollment/device-input.ts";
import { loadDeviceConfigs } from "../../flows/instance-info.ts";
import { addDevice, deleteDevice, listUserDevices } from "../../store/devices.ts";
import { readBody } from "../body.ts";
import { getUserInfo } from "../../store/users.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";

/** The field each refusal of a device is about, so that a form shows it beside that field. */
const FIELD_OF_MESSAGE = new Map<string, string>([
  ...[DEVICE_MESSAGES.nameRequired, DEVICE_MESSAGES.nameTooLong, DEVICE_MESSAGES.nameControlCharacters, DEVICE_MESSAGES.nameTaken].map((m) => [m, "name"] as const),
  ...[DEVICE_MESSAGES.pubkeyInvalid, DEVICE_MESSAGES.pubkeyTaken].map((m) => [m, "wireguard_pubkey"] as const),
]);

/** Runs `fn`; a device refusal comes out as `field: message` (INVALID_ARGUMENT). */
async function inFields<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const field = err instanceof AppError ? FIELD_OF_MESSAGE.get(err.message) : undefined;
    throw field ? invalidArgument(`${field}: ${(err as AppError).message}`) : err;
  }
}

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
    const id = await inFields(() => addDevice(sql, user.id, parseDeviceName(body.name), parsePublicKey(body.wireguard_pubkey)));
    await deps.events?.publish({ type: "devices", deviceIds: [id] });
    deps.log.info(`Admin ${c.get("session").username} added device ${id} for user ${username}`);
    const device = (await listUserDevices(sql, username)).find((d) => d.id === id);
    return c.json({ ...device, configs: await loadDeviceConfigs(sql, id) }, 201);
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
