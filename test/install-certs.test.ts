// `bun run certs`, run as the admin runs it (a child process), and what it writes: certificates that
// verify against the CA with the right names and usages, keys readable by their owner only, and a
// proxy and a core that connect with exactly these files (plain TLS and mutual TLS).
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./install-compose.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { type ServiceProcess, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(60_000);

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
const MAINS_MISSING = ["proxy/main.ts", "core/main.ts"].filter((f) => !existsSync(join(ROOT, f)));
if (MAINS_MISSING.length > 0) {
  process.stderr.write(`install-certs: skipping the connection tests until ${MAINS_MISSING.join(" and ")} exist\n`);
}

let dir: string;

interface CertsRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function runCerts(args: string[]): CertsRun {
  const result = Bun.spawnSync([process.execPath, "run", "certs", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" },
  });
  return { exitCode: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

const cert = (out: string, name: string) => new X509Certificate(readFileSync(join(out, name)));
const mode = (path: string) => statSync(path).mode & 0o777;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "dg-install-certs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bun run certs --mtls", () => {
  let out: string;
  let run: CertsRun;
  beforeAll(() => {
    out = join(dir, "mtls");
    run = runCerts(["--out", out, "--mtls"]);
  });

  test("exits 0, lists the files and prints no key", () => {
    expect(run.exitCode).toBe(0);
    for (const f of ["ca.pem", "ca-key.pem", "proxy.pem", "proxy-key.pem", "core.pem", "core-key.pem"]) {
      expect(run.stdout).toContain(join(out, f));
    }
    expect(run.stdout + run.stderr).not.toContain("PRIVATE KEY");
  });

  test("the CA is a CA, self-signed", () => {
    const ca = cert(out, "ca.pem");
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
  });

  test("the proxy certificate verifies against the CA and names proxy, localhost and loopback", () => {
    const ca = cert(out, "ca.pem");
    const proxy = cert(out, "proxy.pem");
    expect(proxy.checkIssued(ca)).toBe(true);
    expect(proxy.verify(ca.publicKey)).toBe(true);
    expect(proxy.ca).toBe(false);
    expect(proxy.checkHost("proxy")).toBe("proxy");
    expect(proxy.checkHost("localhost")).toBe("localhost");
    expect(proxy.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(proxy.checkHost("proxy.example.com")).toBeUndefined();
    expect(proxy.subjectAltName).toBe("DNS:proxy, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(proxy.keyUsage).toEqual([SERVER_AUTH]);
  });

  test("the core certificate verifies against the CA and is for client authentication", () => {
    const ca = cert(out, "ca.pem");
    const core = cert(out, "core.pem");
    expect(core.checkIssued(ca)).toBe(true);
    expect(core.verify(ca.publicKey)).toBe(true);
    expect(core.keyUsage).toEqual([CLIENT_AUTH]);
  });

  test("each key belongs to its certificate, and key files have mode 0600", () => {
    for (const name of ["ca", "proxy", "core"]) {
      const keyPath = join(out, `${name}-key.pem`);
      expect(cert(out, `${name}.pem`).checkPrivateKey(createPrivateKey(readFileSync(keyPath)))).toBe(true);
      expect({ keyPath, mode: mode(keyPath).toString(8) }).toEqual({ keyPath, mode: "600" });
      expect(mode(join(out, `${name}.pem`)).toString(8)).toBe("644");
    }
  });
});

describe("bun run certs: options and renewal", () => {
  test("without --mtls there is no core certificate", () => {
    const out = join(dir, "plain");
    expect(runCerts(["--out", out]).exitCode).toBe(0);
    expect(existsSync(join(out, "proxy.pem"))).toBe(true);
    expect(existsSync(join(out, "core.pem"))).toBe(false);
  });

  test("--san adds DMZ names and addresses to the proxy certificate", () => {
    const out = join(dir, "san");
    expect(runCerts(["--out", out, "--san", "proxy.dmz.example.com", "--san", "10.1.2.3"]).exitCode).toBe(0);
    const proxy = cert(out, "proxy.pem");
    expect(proxy.checkHost("proxy.dmz.example.com")).toBe("proxy.dmz.example.com");
    expect(proxy.checkIP("10.1.2.3")).toBe("10.1.2.3");
    expect(proxy.checkHost("proxy")).toBe("proxy");
  });

  test("a second run keeps the CA and issues a new proxy certificate it signed; --new-ca replaces the CA", () => {
    const out = join(dir, "renew");
    expect(runCerts(["--out", out]).exitCode).toBe(0);
    const caBefore = readFileSync(join(out, "ca.pem"), "utf8");
    const proxyBefore = readFileSync(join(out, "proxy.pem"), "utf8");
    const again = runCerts(["--out", out]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("Reusing the CA");
    expect(readFileSync(join(out, "ca.pem"), "utf8")).toBe(caBefore);
    expect(readFileSync(join(out, "proxy.pem"), "utf8")).not.toBe(proxyBefore);
    expect(cert(out, "proxy.pem").checkIssued(cert(out, "ca.pem"))).toBe(true);
    expect(mode(join(out, "proxy-key.pem")).toString(8)).toBe("600");

    expect(runCerts(["--out", out, "--new-ca"]).exitCode).toBe(0);
    expect(readFileSync(join(out, "ca.pem"), "utf8")).not.toBe(caBefore);
    expect(cert(out, "proxy.pem").checkIssued(cert(out, "ca.pem"))).toBe(true);
  });

  test("bad arguments exit 2 with the reason and the usage", () => {
    const bogus = runCerts(["--bogus"]);
    expect(bogus.exitCode).toBe(2);
    expect(bogus.stderr).toContain("certs: Unknown option '--bogus'");
    expect(bogus.stderr).toContain("usage: bun run certs");
    const days = runCerts(["--out", join(dir, "bad"), "--days", "soon"]);
    expect(days.exitCode).toBe(2);
    expect(days.stderr).toContain('certs: --days: expected a positive whole number, got "soon"');
    expect(existsSync(join(dir, "bad"))).toBe(false);
    const san = runCerts(["--out", join(dir, "bad"), "--san", "a b"]);
    expect(san.exitCode).toBe(2);
    expect(san.stderr).toContain('certs: --san: expected a DNS name or IP address, got "a b"');
  });
});

describe.skipIf(MAINS_MISSING.length > 0)("a proxy and a core connect with these files", () => {
  let db: TestDatabase;
  let out: string;
  const running: ServiceProcess[] = [];
  const file = (name: string) => join(out, name);

  beforeAll(async () => {
    out = join(dir, "connect");
    expect(runCerts(["--out", out, "--mtls"]).exitCode).toBe(0);
    db = await createTestDatabase();
    await db.close();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await db?.cleanup();
  });

  async function connect(mutual: boolean): Promise<void> {
    const proxy = await startProxyProcess({
      DEFGUARD_PROXY_GRPC_CERT: file("proxy.pem"),
      DEFGUARD_PROXY_GRPC_KEY: file("proxy-key.pem"),
      ...(mutual ? { DEFGUARD_PROXY_GRPC_CLIENT_CA: file("ca.pem") } : {}),
    });
    running.push(proxy);
    const core = startCoreProcess({
      ...db.env,
      DEFGUARD_PROXY_URL: `https://localhost:${proxy.grpcPort}`,
      DEFGUARD_PROXY_GRPC_CA: file("ca.pem"),
      ...(mutual ? { DEFGUARD_PROXY_GRPC_CLIENT_CERT: file("core.pem"), DEFGUARD_PROXY_GRPC_CLIENT_KEY: file("core-key.pem") } : {}),
    });
    running.push(core);
    await proxy.waitFor("RPC client connected from:");
    await core.waitFor(`Connected to proxy at https://localhost:${proxy.grpcPort}`);
    expect(proxy.matching(mutual ? "with mutual TLS" : "gRPC TLS is on")).toHaveLength(1);
  }

  test("TLS: the core trusts ca.pem and the proxy serves proxy.pem", () => connect(false));
  test("mutual TLS: the proxy requires a certificate from ca.pem and the core presents core.pem", () => connect(true));
});
