// TLS and mutual TLS on the link, with real processes and a CA made by this test (scripts/private-ca.ts).
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthority, issueCoreCertificate, issueProxyCertificate } from "../scripts/private-ca.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { type ServiceProcess, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(60_000);

let db: TestDatabase;
let dir: string;
const files: Record<string, string> = {};
const running: ServiceProcess[] = [];

async function writePair(prefix: string, issued: { certificatePem: string; privateKeyPem: string }) {
  files[`${prefix}Cert`] = join(dir, `${prefix}.pem`);
  files[`${prefix}Key`] = join(dir, `${prefix}-key.pem`);
  writeFileSync(files[`${prefix}Cert`]!, issued.certificatePem);
  writeFileSync(files[`${prefix}Key`]!, issued.privateKeyPem, { mode: 0o600 });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dg-link-tls-"));
  const ca = await createAuthority(1);
  const otherCa = await createAuthority(1);
  files.ca = join(dir, "ca.pem");
  files.otherCa = join(dir, "other-ca.pem");
  writeFileSync(files.ca, ca.certificate.toString("pem"));
  writeFileSync(files.otherCa, otherCa.certificate.toString("pem"));
  await writePair("proxy", await issueProxyCertificate(ca, [], 1));
  await writePair("core", await issueCoreCertificate(ca, 1));
  await writePair("stranger", await issueCoreCertificate(otherCa, 1));
  db = await createTestDatabase();
  await db.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop("SIGKILL")));
});
afterAll(async () => {
  await db.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function track<T extends ServiceProcess>(service: T): T {
  running.push(service);
  return service;
}

async function tlsProxy(mutual: boolean) {
  return track(
    await startProxyProcess({
      DEFGUARD_PROXY_GRPC_CERT: files.proxyCert!,
      DEFGUARD_PROXY_GRPC_KEY: files.proxyKey!,
      ...(mutual ? { DEFGUARD_PROXY_GRPC_CLIENT_CA: files.ca! } : {}),
    }),
  );
}

function core(port: number, env: Record<string, string>): ServiceProcess {
  return track(startCoreProcess({ ...db.env, DEFGUARD_PROXY_URL: `https://localhost:${port}`, ...env }));
}

async function connectedHeader(httpPort: number): Promise<string | null> {
  return (await fetch(`http://127.0.0.1:${httpPort}/api/v1/health-grpc`)).headers.get("defguard-core-connected");
}

describe("TLS on the link", () => {
  test("a core trusting the proxy's CA connects over TLS", async () => {
    const proxy = await tlsProxy(false);
    expect(proxy.matching("gRPC TLS is on")).toHaveLength(1);
    const c = core(proxy.grpcPort, { DEFGUARD_PROXY_GRPC_CA: files.ca! });
    await c.waitFor(`Connected to proxy at https://localhost:${proxy.grpcPort}`);
    await proxy.waitFor("RPC client connected from:");
    expect(await connectedHeader(proxy.httpPort)).toBe("true");
  });

  test("a core trusting another CA is refused and logs why", async () => {
    const proxy = await tlsProxy(false);
    const c = core(proxy.grpcPort, { DEFGUARD_PROXY_GRPC_CA: files.otherCa! });
    const line = await c.waitFor("Cannot connect to proxy");
    expect(line).toContain("TLS: the proxy's certificate is not trusted");
    expect(c.matching("Connected to proxy")).toHaveLength(0);
    expect(proxy.matching("RPC client connected from:")).toHaveLength(0);
    expect(await connectedHeader(proxy.httpPort)).toBe("false");
  });

  test("a core with no CA set checks the system roots, which do not know a private CA", async () => {
    const proxy = await tlsProxy(false);
    const c = core(proxy.grpcPort, {});
    expect(await c.waitFor("Cannot connect to proxy")).toContain("TLS: the proxy's certificate is not trusted");
  });

  test("a core dialling https:// to a plaintext proxy is told the proxy does not speak TLS", async () => {
    const proxy = track(await startProxyProcess());
    const c = core(proxy.grpcPort, { DEFGUARD_PROXY_GRPC_CA: files.ca! });
    expect(await c.waitFor("Cannot connect to proxy")).toContain("does not speak TLS");
  });
});

describe("mutual TLS on the link", () => {
  test("a core without a client certificate is refused and told to set one", async () => {
    const proxy = await tlsProxy(true);
    expect(proxy.matching("with mutual TLS")).toHaveLength(1);
    const c = core(proxy.grpcPort, { DEFGUARD_PROXY_GRPC_CA: files.ca! });
    const line = await c.waitFor("Cannot connect to proxy");
    expect(line).toContain("client certificate");
    expect(line).toContain("DEFGUARD_PROXY_GRPC_CLIENT_CERT");
    expect(proxy.matching("RPC client connected from:")).toHaveLength(0);
    expect(await connectedHeader(proxy.httpPort)).toBe("false");
  });

  test("a core with a client certificate from another CA is refused", async () => {
    const proxy = await tlsProxy(true);
    const c = core(proxy.grpcPort, {
      DEFGUARD_PROXY_GRPC_CA: files.ca!,
      DEFGUARD_PROXY_GRPC_CLIENT_CERT: files.strangerCert!,
      DEFGUARD_PROXY_GRPC_CLIENT_KEY: files.strangerKey!,
    });
    expect(await c.waitFor("Cannot connect to proxy")).toContain("client certificate");
    expect(proxy.matching("RPC client connected from:")).toHaveLength(0);
  });

  test("a core with a valid client certificate connects", async () => {
    const proxy = await tlsProxy(true);
    const c = core(proxy.grpcPort, {
      DEFGUARD_PROXY_GRPC_CA: files.ca!,
      DEFGUARD_PROXY_GRPC_CLIENT_CERT: files.coreCert!,
      DEFGUARD_PROXY_GRPC_CLIENT_KEY: files.coreKey!,
    });
    await c.waitFor(`Connected to proxy at https://localhost:${proxy.grpcPort}`);
    await proxy.waitFor("RPC client connected from:");
    expect(await connectedHeader(proxy.httpPort)).toBe("true");
  });
});

describe("the core's TLS settings are checked at startup", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["only the client certificate", { DEFGUARD_PROXY_GRPC_CLIENT_CERT: "coreCert" }, "DEFGUARD_PROXY_GRPC_CLIENT_KEY: is unset"],
    ["only the client key", { DEFGUARD_PROXY_GRPC_CLIENT_KEY: "coreKey" }, "DEFGUARD_PROXY_GRPC_CLIENT_CERT: is unset"],
    ["a missing CA file", { DEFGUARD_PROXY_GRPC_CA: "/nonexistent/ca.pem" }, "DEFGUARD_PROXY_GRPC_CA: cannot read /nonexistent/ca.pem"],
    ["a key given as the CA", { DEFGUARD_PROXY_GRPC_CA: "coreKey" }, "DEFGUARD_PROXY_GRPC_CA:"],
  ];
  for (const [what, env, message] of cases) {
    test(`${what}: exit 1 naming the variable`, async () => {
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, files[v] ?? v]));
      const c = core(1, resolved);
      expect(await c.exited).toBe(1);
      expect(c.output).toContain(message);
      expect(c.matching("Connecting to proxy")).toHaveLength(0);
    });
  }

  test("https:// with an IP address: exit 1 naming DEFGUARD_PROXY_URL and asking for the host name", async () => {
    const c = track(startCoreProcess({ ...db.env, DEFGUARD_PROXY_URL: "https://127.0.0.1:50051", DEFGUARD_PROXY_GRPC_CA: files.ca! }));
    expect(await c.exited).toBe(1);
    expect(c.output).toContain("DEFGUARD_PROXY_URL: https:// needs the host name that the proxy's certificate names");
  });
});
