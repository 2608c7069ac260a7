import { describe, expect, test } from "bun:test";
import { formatEndpoint, renderDeviceConfig, type DeviceConfigTextInput } from "./device-config.ts";

const base: DeviceConfigTextInput = {
  addresses: ["10.1.0.2"],
  dns: "10.1.0.1",
  networkPublicKey: "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=",
  allowedIps: ["10.1.0.0/24", "192.168.0.0/16"],
  endpointHost: "vpn.example.com",
  port: 51820,
  keepaliveInterval: 25,
};

describe("renderDeviceConfig", () => {
  test("writes the full config byte for byte", () => {
    expect(renderDeviceConfig(base)).toBe(
      "[Interface]\n" +
        "PrivateKey = YOUR_PRIVATE_KEY\n" +
        "Address = 10.1.0.2\n" +
        "DNS = 10.1.0.1\n" +
        "\n" +
        "[Peer]\n" +
        "PublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\n" +
        "AllowedIPs = 10.1.0.0/24,192.168.0.0/16\n" +
        "Endpoint = vpn.example.com:51820\n" +
        "PersistentKeepalive = 25",
    );
  });

  test("leaves the DNS line out when the network has none or a blank one", () => {
    const expected =
      "[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.1.0.2\n\n[Peer]\n" +
      "PublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\nAllowedIPs = 10.1.0.0/24,192.168.0.0/16\n" +
      "Endpoint = vpn.example.com:51820\nPersistentKeepalive = 25";
    expect(renderDeviceConfig({ ...base, dns: null })).toBe(expected);
    expect(renderDeviceConfig({ ...base, dns: "  " })).toBe(expected);
  });

  test("joins several addresses and DNS servers as written, and leaves AllowedIPs out when empty", () => {
    expect(renderDeviceConfig({ ...base, addresses: ["10.1.0.2", "fd00::2"], dns: "1.1.1.1, 8.8.8.8", allowedIps: [], keepaliveInterval: 0 })).toBe(
      "[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.1.0.2,fd00::2\nDNS = 1.1.1.1, 8.8.8.8\n\n[Peer]\n" +
        "PublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\nEndpoint = vpn.example.com:51820\nPersistentKeepalive = 0",
    );
  });
});

describe("formatEndpoint", () => {
  test("host names and IPv4 as host:port, IPv6 literals in brackets", () => {
    expect(formatEndpoint("vpn.example.com", 51820)).toBe("vpn.example.com:51820");
    expect(formatEndpoint("203.0.113.5", 1)).toBe("203.0.113.5:1");
    expect(formatEndpoint("2001:db8::1", 51820)).toBe("[2001:db8::1]:51820");
    expect(formatEndpoint("[2001:db8::1]", 51820)).toBe("[2001:db8::1]:51820");
  });
});
