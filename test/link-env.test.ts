// Each invalid Core variable stops `bun core/main.ts` with exit 1 and a message naming it.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawnService } from "./support/services.ts";

setDefaultTimeout(60_000);

const CASES: [variable: string, value: string, expected: string][] = [
  ["DEFGUARD_PROXY_URL", "ftp://x", "expected an http:// or https:// URL, got ftp://"],
  ["DEFGUARD_PROXY_URL", "proxy:50051", "expected an http:// or https:// URL"],
  ["DEFGUARD_PROXY_URL", "not a url", "expected a URL such as http://proxy:50051"],
  ["DEFGUARD_PROXY_URL", "http://proxy:50051/grpc", "expected no path in the URL"],
  ["DEFGUARD_HTTP_PORT", "abc", "expected a port number (0-65535)"],
  ["DEFGUARD_HTTP_PORT", "70000", "expected a port number (0-65535)"],
  ["DEFGUARD_DB_PORT", "-1", "expected a port number (0-65535)"],
  ["DEFGUARD_LOG_LEVEL", "loud", "expected one of trace, debug, info, warn, error"],
  ["DEFGUARD_LOG_FORMAT", "xml", "expected text or json"],
  ["DEFGUARD_COOKIE_INSECURE", "maybe", "expected true or false"],
  ["DEFGUARD_ENROLLMENT_SESSION_TIMEOUT", "soon", "expected a duration such as 600, 10m or 24h"],
  ["DEFGUARD_AUTH_SECRET", "short", "expected a secret of at least 32 characters"],
  ["DEFGUARD_PROXY_SHARED_SECRET", "short-secret", "expected a secret of at least 32 characters (e.g. openssl rand -hex 32), the same on the core and the proxy"],
  ["DEFGUARD_URL", "ftp://core", "expected an http:// or https:// URL"],
];

async function runCore(env: Record<string, string>) {
  const core = spawnService("core", "core/main.ts", env);
  return { code: await core.exited, output: core.output };
}

describe("core environment errors", () => {
  for (const [variable, value, expected] of CASES) {
    test(`${variable}=${value}: exit 1 naming it`, async () => {
      const { code, output } = await runCore({ [variable]: value });
      expect(code).toBe(1);
      expect(output).toContain(`${variable}: ${expected}`);
      expect(output).not.toContain("Starting Defguard core");
    });
  }

  test("every problem is listed at once", async () => {
    const { code, output } = await runCore({ DEFGUARD_PROXY_URL: "ftp://x", DEFGUARD_HTTP_PORT: "abc" });
    expect(code).toBe(1);
    expect(output).toContain("defguard-core: cannot start, invalid environment:");
    expect(output).toContain("  - DEFGUARD_PROXY_URL: expected an http:// or https:// URL, got ftp://");
    expect(output).toContain("  - DEFGUARD_HTTP_PORT: expected a port number (0-65535)");
  });
});
