import { describe, expect, test } from "bun:test";
import { codec, type CoreResponse } from "../shared/proto.ts";
import { responsePayloadToJson } from "./wire-json.ts";

/** Through real bytes, so the input is exactly what the gRPC stream hands the Proxy. */
function overTheWire(response: CoreResponse) {
  return codec.decodeCoreResponse(codec.encodeCoreResponse(response));
}

describe("responsePayloadToJson", () => {
  test("DeviceConfigResponse: int64 as numbers, enums as numbers, unset optionals null, no virtual fields", () => {
    const decoded = overTheWire({
      id: 1,
      device_config: {
        device: { id: 9007199254740991, name: "laptop", pubkey: "pk", user_id: 3, created_at: 1700000000 },
        configs: [
          {
            network_id: 7,
            network_name: "office",
            config: "[Interface]",
            endpoint: "vpn.example.com:51820",
            assigned_ip: "10.0.0.2",
            pubkey: "netpk",
            allowed_ips: "10.0.0.0/24",
            mfa_enabled: false,
            keepalive_interval: 25,
            location_mfa_mode: 2,
          },
        ],
        instance: { id: "i", name: "Defguard", url: "http://core", proxy_url: "http://proxy", username: "alice" },
        token: "poll-token",
      },
    });
    expect(decoded.payload).toBe("device_config");
    expect(responsePayloadToJson("device_config", decoded.device_config)).toEqual({
      device: { id: 9007199254740991, name: "laptop", pubkey: "pk", user_id: 3, created_at: 1700000000 },
      configs: [
        {
          network_id: 7,
          network_name: "office",
          config: "[Interface]",
          endpoint: "vpn.example.com:51820",
          assigned_ip: "10.0.0.2",
          pubkey: "netpk",
          allowed_ips: "10.0.0.0/24",
          dns: null,
          mfa_enabled: false,
          keepalive_interval: 25,
          location_mfa_mode: 2,
          service_location_mode: null,
        },
      ],
      instance: {
        id: "i",
        name: "Defguard",
        url: "http://core",
        proxy_url: "http://proxy",
        username: "alice",
        enterprise_enabled: false,
        disable_all_traffic: false,
        openid_display_name: null,
        client_traffic_policy: null,
      },
      token: "poll-token",
    });
  });

  test("an unset message field is null, an empty repeated field []", () => {
    const decoded = overTheWire({ id: 2, device_config: { configs: [] } });
    expect(responsePayloadToJson("device_config", decoded.device_config)).toEqual({
      device: null,
      configs: [],
      instance: null,
      token: null,
    });
  });

  test("small answers keep proto names and defaults", () => {
    const start = overTheWire({ id: 3, password_reset_start: { deadline_timestamp: 1706105141 } });
    expect(responsePayloadToJson("password_reset_start", start.password_reset_start)).toEqual({ deadline_timestamp: 1706105141 });
    const codes = overTheWire({ id: 4, code_mfa_setup_finish_response: { recovery_codes: ["a", "b"] } });
    expect(responsePayloadToJson("code_mfa_setup_finish_response", codes.code_mfa_setup_finish_response)).toEqual({ recovery_codes: ["a", "b"] });
    const mfa = overTheWire({ id: 5, client_mfa_start: { token: "jwt" } });
    expect(responsePayloadToJson("client_mfa_start", mfa.client_mfa_start)).toEqual({ token: "jwt", challenge: null });
    const totp = overTheWire({ id: 6, code_mfa_setup_start_response: {} });
    expect(responsePayloadToJson("code_mfa_setup_start_response", totp.code_mfa_setup_start_response)).toEqual({ totp_secret: null });
  });

  test("EnrollmentStartResponse nests admin, user, instance and settings", () => {
    const decoded = overTheWire({
      id: 7,
      enrollment_start: {
        admin: { name: "Admin", email: "admin@example.com" },
        user: { first_name: "A", last_name: "B", login: "ab", email: "ab@example.com", is_active: false, device_names: ["x"] },
        deadline_timestamp: 1706105741,
        final_page_content: "Welcome",
        settings: { vpn_setup_optional: true },
      },
    });
    const json = responsePayloadToJson("enrollment_start", decoded.enrollment_start);
    expect(json).toEqual({
      admin: { name: "Admin", phone_number: null, email: "admin@example.com" },
      user: {
        first_name: "A",
        last_name: "B",
        login: "ab",
        email: "ab@example.com",
        phone_number: null,
        is_active: false,
        device_names: ["x"],
        enrolled: false,
        is_admin: false,
      },
      deadline_timestamp: 1706105741,
      final_page_content: "Welcome",
      instance: null,
      settings: { vpn_setup_optional: true, only_client_activation: false, admin_device_management: false, smtp_configured: false, mfa_required: false },
    });
  });

  test("an unknown kind is a programming error", () => {
    expect(() => responsePayloadToJson("nope" as never, {})).toThrow("CoreResponse has no message field nope");
  });
});
