// `bun run gateway` refuses to start, naming what is wrong, before it touches the network: a bad
// environment, a host without the tools or the capability a WireGuard interface (or masquerade) needs.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./install-compose.ts";
import { ServiceProcess, baseEnv } from "./support/services.ts";

const VALID = { DEFGUARD_TOKEN: "a.jwt.token", DEFGUARD_GRPC_URL: "http://127.0.0.1:9" };

/** Runs the gateway (through `wrapper` when given, e.g. setpriv) until it exits. */
async function startGateway(env: Record<string, string>, wrapper: string[] = []): Promise<{ code: number; output: string }> {
  const child = Bun.spawn([...wrapper, process.execPath, "gateway/main.ts"], {
    cwd: ROOT,
    env: { ...baseEnv(), ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const gateway = new ServiceProcess("gateway", child);
  const code = await gateway.exited;
  return { code, output: gateway.output };
}

describe("gateway startup refusals", () => {
  test("a bad environment: exit 1, every problem named with its variable", async () => {
    const { code, output } = await startGateway({ DEFGUARD_GRPC_URL: "ftp://core", DEFGUARD_STATS_PERIOD: "often" });
    expect(code).toBe(1);
    expect(output).toContain("defguard-gateway: cannot start, invalid environment:");
    expect(output).toContain("DEFGUARD_TOKEN: expected the network's gateway token (the Core's GET /api/v1/network/{id}/token)");
    expect(output).toContain("DEFGUARD_GRPC_URL: expected an http:// or https:// URL, got ftp://");
    expect(output).toContain("DEFGUARD_STATS_PERIOD: expected a duration such as 600, 10m or 24h");
  });

  test("an unreadable DEFGUARD_GRPC_CA stops it, naming the variable", async () => {
    const { code, output } = await startGateway({ ...VALID, DEFGUARD_GRPC_URL: "https://core.example.com:50055", DEFGUARD_GRPC_CA: "/nonexistent/ca.pem" });
    expect(code).toBe(1);
    expect(output).toContain("defguard-gateway: cannot start, DEFGUARD_GRPC_CA: cannot read /nonexistent/ca.pem (ENOENT); expected a readable PEM file");
  });

  test("without wg and ip on PATH: exit 1 naming both, wireguard-go when userspace is asked and nft when masquerade is", async () => {
    const empty = mkdtempSync(join(tmpdir(), "dg-gw-path-"));
    try {
      const { code, output } = await startGateway({ ...VALID, PATH: empty, DEFGUARD_USERSPACE: "true", DEFGUARD_MASQUERADE: "true" });
      expect(code).toBe(1);
      expect(output).toContain("defguard-gateway: cannot start, this host lacks what the gateway needs:");
      expect(output).toContain("  - the `wg` command (Debian: apt-get install wireguard-tools)");
      expect(output).toContain("  - the `ip` command (Debian: apt-get install iproute2)");
      expect(output).toContain("  - the `wireguard-go` command (Debian: apt-get install wireguard-go)");
      expect(output).toContain("  - the `nft` command, which DEFGUARD_MASQUERADE needs (Debian: apt-get install nftables)");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  const canDropCapability = process.getuid?.() === 0 && Bun.which("setpriv") !== null;
  test.skipIf(!canDropCapability)("without CAP_NET_ADMIN (root with the capability dropped): exit 1 naming it", async () => {
    const { code, output } = await startGateway(VALID, ["setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin", "--"]);
    expect(code).toBe(1);
    expect(output).toContain("  - the CAP_NET_ADMIN capability: run the gateway as root, or grant it (docker: cap_add NET_ADMIN; systemd: AmbientCapabilities=CAP_NET_ADMIN)");
  });
});
