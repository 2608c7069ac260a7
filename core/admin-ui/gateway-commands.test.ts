import { describe, expect, test } from "bun:test";
import { gatewayCommands, shellWord } from "./gateway-commands.ts";

describe("gateway command lines", () => {
  test("the token and URL go in as DEFGUARD_TOKEN / DEFGUARD_GRPC_URL (env) and --token / --grpc-url (Defguard's binary)", () => {
    expect(gatewayCommands("eyJ.a-b_c.d", "https://core.example.com:50055")).toEqual({
      ours: "sudo DEFGUARD_TOKEN=eyJ.a-b_c.d DEFGUARD_GRPC_URL=https://core.example.com:50055 bun run gateway",
      docker:
        "docker run -d --name defguard-gateway --restart unless-stopped --network host --cap-add NET_ADMIN --device /dev/net/tun " +
        "-e DEFGUARD_TOKEN=eyJ.a-b_c.d -e DEFGUARD_GRPC_URL=https://core.example.com:50055 defguard/gateway:1.6",
      binary: "sudo defguard-gateway --token eyJ.a-b_c.d --grpc-url https://core.example.com:50055",
    });
  });

  test("anything a shell would read differently is single-quoted", () => {
    expect(shellWord("plain-1.2")).toBe("plain-1.2");
    expect(shellWord("a b")).toBe("'a b'");
    expect(shellWord("it's $HOME;")).toBe(`'it'\\''s $HOME;'`);
  });
});
