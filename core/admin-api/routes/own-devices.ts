// Adding and removing devices, for a user's own devices or (admins) anyone's: `POST /device/{username}`
// with Defguard's `{name, wireguard_pubkey}` → 201 the device with its networks and `configs`
// (each network's configuration with the private key left as YOUR_PRIVATE_KEY for the browser that
// made the key to fill in), and `DELETE /device/{id}`. Gateways hear of both (deps.events).
// Mounted before the admin routes; each route checks who may act. Another user's device answers 404,
// the same as none. A refusal of the name or key names its field (`name: ...`, `wireguard_pubkey: ...`).
import { Hono } from "hono";
import { z } from "zod";
import { AppError, invalidArgument, notFound, permissionDenied } from "../../../shared/errors.ts";
import { DEVICE_MESSAGES, parseDeviceName, parsePublicKey } from "../../flows/enrollment/device-input.ts";
import { loadDeviceConfigs } from "../../flows/instance-info.ts";
import { addDevice, deleteDevice, listUserDevices } from "../../store/devices.ts";
import { getSettings } from "../../store/settings.ts";
import { findUser } from "../../store/users.ts";
import { readBody } from "../body.ts";
import type { AdminAppDeps, AdminEnv } from "../deps.ts";
import { requireSession } from "../session-guard.ts";

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

export const OWN_DEVICE_MESSAGES = {
  otherUser: "only administrators may add devices for other users",
} as const;

const newDeviceSchema = z.object({
  name: z.string({ error: "expected a device name" }),
  wireguard_pubkey: z.string({ error: "expected a WireGuard public key" }),
});

export function ownDeviceRoutes(deps: AdminAppDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const { sql } = deps;
  app.use("/device/*", requireSession(deps));

  app.post("/device/:username", async (c) => {
    const body = await readBody(c, newDeviceSchema);
    const session = c.get("session");
    const username = c.req.param("username");
    if (username !== session.username) {
      if (!session.isAdmin) throw permissionDenied(OWN_DEVICE_MESSAGES.otherUser);
    } else if (!session.isAdmin && (await getSettings(sql)).admin_device_management) {
      throw permissionDenied(DEVICE_MESSAGES.adminOnly);
    }
    const user = await findUser(sql, username);
    if (!user) throw notFound(`user ${username} not found`);
    const id = await inFields(async () => addDevice(sql, user.id, parseDeviceName(body.name), parsePublicKey(body.wireguard_pubkey)));
    await deps.events?.publish({ type: "devices", deviceIds: [id] });
    const device = (await listUserDevices(sql, username)).find((d) => d.id === id);
    const configs = await loadDeviceConfigs(sql, id);
    deps.log.info(`${session.username === username ? "User" : `Admin ${session.username} for user`} ${username} added device ${id} in ${configs.length} network(s)`);
    return c.json({ ...device, configs }, 201);
  });

  app.delete("/device/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    const session = c.get("session");
    const [device] = await sql<{ user_id: number }[]>`SELECT user_id FROM devices WHERE id = ${id}`;
    if (!device || (!session.isAdmin && device.user_id !== session.userId)) throw notFound(`device ${id} not found`);
    if (!(await deleteDevice(sql, id))) throw notFound(`device ${id} not found`);
    await deps.events?.publish({ type: "devices", deviceIds: [id] });
    deps.log.info(`${session.isAdmin ? "Admin" : "User"} ${session.username} deleted device ${id}`);
    return c.body(null, 200);
  });

  return app;
}
