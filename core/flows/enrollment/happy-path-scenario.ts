// For tests: one whole enrollment through dispatch() (start, start again, create a device with a fresh
// X25519 key, activate, verify the stored password), asserting every answer on the way. Run against
// PostgreSQL and against the embedded PGlite.
import { expect } from "bun:test";
import type postgres from "postgres";
import { LocationMfaMode } from "../../../proto/generated/defguard/proxy/LocationMfaMode.ts";
import { codec, type CoreResponse } from "../../../shared/proto.ts";
import { hashToken } from "../../tokens.ts";
import { addNetwork, addToken, addUser, CORE_URL, createHarness, ENROLLMENT_URL, errorOf, newDeviceKey } from "./test-fixtures.ts";

const PASSWORD = "Sup3r-secret!";

/** The answer as the Proxy will see it: encoded with the proto and decoded again. */
function overTheWire(response: CoreResponse): CoreResponse {
  return codec.decodeCoreResponse(codec.encodeCoreResponse(response)) as CoreResponse;
}

export async function runHappyPath(sql: postgres.Sql): Promise<void> {
  const h = createHarness(sql);
  const admin = await addUser(sql, { first_name: "Ada", last_name: "Admin", phone: "+48 111 222 333", admin: true });
  const user = await addUser(sql, { first_name: "Alice", last_name: "Smith" });
  const network = await addNetwork(sql, { name: `office-${user.id}`, address: ["10.77.0.1/24", "fd77::1/64"], dns: "10.77.0.1", allowed_ips: ["10.77.0.0/24", "fd77::/64"] });
  const token = await addToken(sql, user.id, { adminId: admin.id });

  const started = await h.call("enrollment_start", { token });
  expect(errorOf(started)).toBeUndefined();
  const start = started.enrollment_start!;
  expect(overTheWire(started).enrollment_start).toMatchObject(JSON.parse(JSON.stringify(start)));
  expect(start.admin).toEqual({ name: "Ada Admin", phone_number: "+48 111 222 333", email: `${admin.username}@example.com` });
  expect(start.user).toEqual({
    first_name: "Alice",
    last_name: "Smith",
    login: user.username,
    email: `${user.username}@example.com`,
    is_active: true,
    device_names: [],
    enrolled: false,
    is_admin: false,
  });
  expect(start.final_page_content).toBe("# Welcome, Alice Smith!\n\nYour VPN access is ready.");
  expect(start.instance).toMatchObject({ name: "Defguard", url: `${CORE_URL}/`, proxy_url: `${ENROLLMENT_URL}/`, username: user.username });
  expect(start.instance!.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(start.settings).toEqual({ vpn_setup_optional: true, only_client_activation: false, admin_device_management: false, smtp_configured: false, mfa_required: false });

  const restarted = await h.call("enrollment_start", { token });
  expect(restarted.enrollment_start!.deadline_timestamp).toBe(start.deadline_timestamp!);

  const pubkey = newDeviceKey();
  const created = await h.call("new_device", { token, name: "  laptop  ", pubkey });
  expect(errorOf(created)).toBeUndefined();
  const response = created.device_config!;
  expect(overTheWire(created).device_config).toMatchObject(JSON.parse(JSON.stringify(response)));
  expect(response.device).toMatchObject({ name: "laptop", pubkey, user_id: user.id });
  expect(response.token).toMatch(/^[A-Za-z0-9]{32}$/);
  const [polling] = await sql`SELECT device_id FROM polling_tokens WHERE token_hash = ${hashToken(response.token!)}`;
  expect(polling!.device_id).toBe(response.device!.id);
  const config = response.configs!.find((c) => c.network_id === network.id)!;
  expect(config).toEqual({
    network_id: network.id,
    network_name: network.name,
    config:
      "[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.77.0.2,fd77::2\nDNS = 10.77.0.1\n\n[Peer]\n" +
      `PublicKey = ${network.pubkey}\nAllowedIPs = 10.77.0.0/24,fd77::/64\nEndpoint = vpn.example.com:51820\nPersistentKeepalive = 25`,
    endpoint: "vpn.example.com:51820",
    assigned_ip: "10.77.0.2,fd77::2",
    pubkey: network.pubkey,
    allowed_ips: "10.77.0.0/24,fd77::/64",
    dns: "10.77.0.1",
    mfa_enabled: false,
    keepalive_interval: 25,
    location_mfa_mode: LocationMfaMode.LOCATION_MFA_MODE_DISABLED,
    service_location_mode: 1,
  });
  expect(response.instance?.username).toBe(user.username);

  const resumed = await h.call("enrollment_start", { token });
  expect(resumed.enrollment_start!.user!.device_names).toEqual(["laptop"]);

  expect(await h.call("activate_user", { token, password: PASSWORD, phone_number: "+48 500 600 700" })).toEqual({ id: expect.any(Number), empty: {} });
  const [stored] = await sql<{ password_hash: string; phone: string }[]>`SELECT password_hash, phone FROM users WHERE id = ${user.id}`;
  expect(stored!.password_hash).toStartWith("$argon2id$");
  expect(await Bun.password.verify(PASSWORD, stored!.password_hash)).toBe(true);
  expect(await Bun.password.verify("Wrong-passw0rd", stored!.password_hash)).toBe(false);
  expect(stored!.phone).toBe("+48 500 600 700");
}
