import { describe, expect, test } from "bun:test";
import { configFileName, withPrivateKey } from "./wireguard-config.ts";

const CONFIG = "[Interface]\nPrivateKey = YOUR_PRIVATE_KEY\nAddress = 10.0.0.2\n\n[Peer]\nPublicKey = abc=\nAllowedIPs = 10.0.0.0/24\nEndpoint = vpn.example.com:51820\nPersistentKeepalive = 25\n";

describe("withPrivateKey", () => {
  test("fills the PrivateKey line and nothing else", () => {
    const key = "d4m8asmCpBGVDOUTbtizZeMIOEK0lmxoIsoKA86/Bb4=";
    expect(withPrivateKey(CONFIG, key)).toBe(CONFIG.replace("YOUR_PRIVATE_KEY", key));
  });

  test("a `$` in the key is written as is (no replacement patterns)", () => {
    expect(withPrivateKey(CONFIG, "$1$&")).toContain("PrivateKey = $1$&\n");
  });

  test("without a key (a pasted public key) the placeholder stays", () => {
    expect(withPrivateKey(CONFIG, undefined)).toBe(CONFIG);
  });
});

describe("configFileName", () => {
  test("a name wg-quick accepts as an interface: at most 15 of [A-Za-z0-9_=+.-]", () => {
    expect(configFileName("Office")).toBe("Office.conf");
    expect(configFileName("Main office (Warsaw)")).toBe("Main-office-War.conf");
    expect(configFileName("Zürich")).toBe("Zu-rich.conf");
    expect(configFileName("!!!")).toBe("wireguard.conf");
  });
});
