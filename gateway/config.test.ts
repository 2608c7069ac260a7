import { describe, expect, test } from "bun:test";
import { EnvError } from "../shared/env.ts";
import { loadGatewayConfig } from "./config.ts";

const BASE = { DEFGUARD_TOKEN: "t0k3n", DEFGUARD_GRPC_URL: "http://core:50055" };

function problems(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  throw new Error("accepted");
}

describe("gateway config", () => {
  test("defaults as Defguard's gateway has them", () => {
    const config = loadGatewayConfig(BASE);
    expect(config.ifname).toBe("wg0");
    expect(config.statsPeriodSeconds).toBe(30);
    expect(config.userspace).toBe(false);
    expect(config.masquerade).toBe(false);
    expect(config.name).toBeUndefined();
    expect(config.grpcUrl.href).toBe("http://core:50055/");
    expect(config.hooks).toEqual({ preUp: undefined, postUp: undefined, preDown: undefined, postDown: undefined });
    expect(config.health).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });
  test("accepts every variable", () => {
    const config = loadGatewayConfig({
      ...BASE,
      DEFGUARD_GRPC_URL: "https://core.example.com:50055",
      DEFGUARD_GRPC_CA: "/etc/ca.pem",
      DEFGUARD_IFNAME: "wg-office.1",
      DEFGUARD_STATS_PERIOD: "15",
      DEFGUARD_USERSPACE: "true",
      DEFGUARD_MASQUERADE: "true",
      DEFGUARD_GATEWAY_NAME: "gw-a",
      PRE_UP: "echo pre",
      POST_DOWN: "echo down",
    });
    expect(config).toMatchObject({ caPath: "/etc/ca.pem", ifname: "wg-office.1", statsPeriodSeconds: 15, userspace: true, masquerade: true, name: "gw-a" });
    expect(config.hooks).toEqual({ preUp: "echo pre", postUp: undefined, preDown: undefined, postDown: "echo down" });
  });
  test("HEALTH_PORT starts a health check, on DEFGUARD_HTTP_BIND_ADDRESS or every address", () => {
    expect(loadGatewayConfig({ ...BASE, HEALTH_PORT: "8081" }).health).toEqual({ host: "0.0.0.0", port: 8081 });
    expect(loadGatewayConfig({ ...BASE, HEALTH_PORT: "8081", DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1" }).health).toEqual({ host: "127.0.0.1", port: 8081 });
    expect(problems({ ...BASE, HEALTH_PORT: "80000" })).toEqual(["HEALTH_PORT: expected a port number (0-65535)"]);
  });

  test("the stats period takes Defguard's durations", () => {
    expect(loadGatewayConfig({ ...BASE, DEFGUARD_STATS_PERIOD: "1m" }).statsPeriodSeconds).toBe(60);
  });
  test("DEFGUARD_MASQUERADE takes the booleans the other switches take, and nothing else", () => {
    for (const on of ["true", "1", "yes"]) expect(loadGatewayConfig({ ...BASE, DEFGUARD_MASQUERADE: on }).masquerade).toBe(true);
    // Empty is unset (docker compose passes `${VAR:-}` as ""): the default, off.
    for (const off of ["false", "0", "no", ""]) expect(loadGatewayConfig({ ...BASE, DEFGUARD_MASQUERADE: off }).masquerade).toBe(false);
    for (const bad of ["TRUE", "on", "enabled"]) expect(problems({ ...BASE, DEFGUARD_MASQUERADE: bad })).toEqual(["DEFGUARD_MASQUERADE: expected true or false"]);
  });
  test("missing token and URL are named", () => {
    expect(problems({})).toEqual([
      "DEFGUARD_TOKEN: expected the network's gateway token (the Core's GET /api/v1/network/{id}/token)",
      "DEFGUARD_GRPC_URL: expected the Core's gRPC URL, such as http://core:50055 (Defguard shows it beside the token)",
    ]);
  });
  test("every bad value is named with what was expected", () => {
    expect(
      problems({
        ...BASE,
        DEFGUARD_GRPC_URL: "ftp://core",
        DEFGUARD_IFNAME: "a-name-far-too-long",
        DEFGUARD_STATS_PERIOD: "often",
        DEFGUARD_USERSPACE: "maybe",
        DEFGUARD_MASQUERADE: "on",
      }),
    ).toEqual([
      "DEFGUARD_GRPC_URL: expected an http:// or https:// URL, got ftp://",
      "DEFGUARD_IFNAME: expected an interface name of 1-15 letters, digits, '_', '-' or '.'",
      "DEFGUARD_STATS_PERIOD: expected a duration such as 600, 10m or 24h",
      "DEFGUARD_USERSPACE: expected true or false",
      "DEFGUARD_MASQUERADE: expected true or false",
    ]);
    expect(problems({ ...BASE, DEFGUARD_GRPC_URL: "http://" })).toEqual(["DEFGUARD_GRPC_URL: expected a URL such as http://core:50055 or https://core.example.com:50055"]);
    expect(problems({ ...BASE, DEFGUARD_GRPC_URL: "http://core:50055/grpc" })).toEqual(["DEFGUARD_GRPC_URL: expected no path in the URL, only scheme, host and port"]);
    expect(problems({ ...BASE, DEFGUARD_IFNAME: "wg/0" })).toEqual(["DEFGUARD_IFNAME: expected an interface name of 1-15 letters, digits, '_', '-' or '.'"]);
  });
});
