// instance_info (the desktop client's polling) through dispatch() on a real database: the polling token
// from new_device gives the device's current configuration; rotated, unknown and malformed tokens are refused.
import { describe, expect, test } from "bun:test";
import { GrpcStatus } from "../../shared/errors.ts";
import { errorOf, type FlowHarness, newDeviceKey, useFlowHarness } from "../../test/support/flow-harness.ts";
import { addNetwork, addToken, addUser } from "./enrollment/test-fixtures.ts";
import { POLLING_MESSAGES } from "./polling.ts";

let h: FlowHarness;
useFlowHarness((started) => (h = started));

const invalidToken = { status_code: GrpcStatus.UNAUTHENTICATED, message: POLLING_MESSAGES.tokenInvalid };

/** A user who enrolled one device through the enrollment flow; returns its answer and enrollment token. */
async function enrolledDevice() {
  const user = await addUser(h.sql);
  const network = await addNetwork(h.sql, { address: ["10.88.0.1/24"], allowed_ips: ["10.88.0.0/24"] });
  const token = await addToken(h.sql, user.id);
  await h.call("enrollment_start", { token });
  const pubkey = newDeviceKey();
  const created = await h.call("new_device", { token, name: "laptop", pubkey });
  expect(errorOf(created)).toBeUndefined();
  return { user, network, token, pubkey, config: created.device_config! };
}

describe("instance_info", () => {
  test("the polling token from new_device answers the same configuration, without a new token", async () => {
    const { config } = await enrolledDevice();
    const polled = await h.call("instance_info", { token: config.token });
    const { token: _, ...expected } = config;
    expect(polled.instance_info).toEqual({ device_config: expected });
  });

  test("the answer is the device's current configuration: an admin's change shows at the next poll", async () => {
    const { config, network } = await enrolledDevice();
    await h.sql`UPDATE networks SET dns = '1.1.1.1', mfa_mode = 'internal' WHERE id = ${network.id}`;
    const polled = (await h.call("instance_info", { token: config.token })).instance_info!.device_config!;
    const mine = polled.configs!.find((c) => Number(c.network_id) === network.id)!;
    expect(mine.dns).toBe("1.1.1.1");
    expect(mine.config).toContain("DNS = 1.1.1.1");
    expect(mine.mfa_enabled).toBe(true);
    expect(mine.location_mfa_mode).toBe(2);
  });

  test("after existing_device rotates the token, the old one is refused and the new one works", async () => {
    const { config, token, pubkey } = await enrolledDevice();
    const rotated = (await h.call("existing_device", { token, pubkey })).device_config!;
    expect(rotated.token).not.toBe(config.token);
    expect(errorOf(await h.call("instance_info", { token: config.token }))).toEqual(invalidToken);
    expect(errorOf(await h.call("instance_info", { token: rotated.token }))).toBeUndefined();
  });

  test("unknown, malformed and missing tokens are UNAUTHENTICATED; a disabled account is PERMISSION_DENIED", async () => {
    for (const token of ["A".repeat(32), "short", "", undefined, "x".repeat(4000)]) {
      expect(errorOf(await h.call("instance_info", { token }))).toEqual(invalidToken);
    }
    const { user, config } = await enrolledDevice();
    await h.sql`UPDATE users SET is_active = false WHERE id = ${user.id}`;
    expect(errorOf(await h.call("instance_info", { token: config.token }))).toEqual({
      status_code: GrpcStatus.PERMISSION_DENIED,
      message: POLLING_MESSAGES.userDisabled,
    });
  });

  test("a deleted device's token is refused", async () => {
    const { config } = await enrolledDevice();
    await h.sql`DELETE FROM devices WHERE id = ${Number(config.device!.id)}`;
    expect(errorOf(await h.call("instance_info", { token: config.token }))).toEqual(invalidToken);
  });
});
