// Test PKI: a CA and certificates it issues, as PEM files in a temp dir, for TLS and mutual-TLS tests of
// the Proxy and the Core. Made with the `openssl` CLI (OpenSSL 3), ECDSA P-256, valid for 30 days.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const VALID_DAYS = "30";
const KEY_ARGS = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

export interface TestCa {
  name: string;
  /** The temp dir every file of this CA and its certificates goes to; remove with removeCa(). */
  dir: string;
  certPath: string;
  keyPath: string;
  certPem: string;
}

export interface TestCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

let sequence = 0;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function openssl(args: string[]): void {
  const result = Bun.spawnSync(["openssl", ...args], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
}

/** A self-signed CA in a fresh temp dir (or `options.dir`). */
export async function makeCa(options: { name?: string; dir?: string } = {}): Promise<TestCa> {
  const name = options.name ?? "Defguard Test CA";
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "dg-certs-"));
  const base = join(dir, `${slug(name)}-ca-${++sequence}`);
  openssl([
    "req", "-x509", ...KEY_ARGS, "-keyout", `${base}.key`, "-out", `${base}.crt`, "-days", VALID_DAYS,
    "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return { name, dir, certPath: `${base}.crt`, keyPath: `${base}.key`, certPem: readFileSync(`${base}.crt`, "utf8") };
}

/**
 * A certificate issued by `ca` for `names` (DNS names or IP addresses; the first is also the CN), for a
 * server (serverAuth), or for a client with `client: true` (clientAuth). Files go to `ca.dir`.
 */
export async function makeCert(ca: TestCa, options: { names: string[]; client?: boolean }): Promise<TestCert> {
  const cn = options.names[0] ?? "client";
  const base = join(ca.dir, `${slug(cn)}-${options.client ? "client" : "server"}-${++sequence}`);
  const altNames = options.names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  openssl([
    "req", "-x509", ...KEY_ARGS, "-keyout", `${base}.key`, "-out", `${base}.crt`, "-days", VALID_DAYS,
    "-subj", `/CN=${cn}`, "-CA", ca.certPath, "-CAkey", ca.keyPath,
    "-addext", "basicConstraints=critical,CA:FALSE",
    "-addext", "keyUsage=critical,digitalSignature",
    "-addext", `extendedKeyUsage=${options.client ? "clientAuth" : "serverAuth"}`,
    ...(altNames ? ["-addext", `subjectAltName=${altNames}`] : []),
  ]);
  return {
    certPath: `${base}.crt`,
    keyPath: `${base}.key`,
    certPem: readFileSync(`${base}.crt`, "utf8"),
    keyPem: readFileSync(`${base}.key`, "utf8"),
  };
}

/** Deletes the CA's temp dir and everything issued into it. */
export function removeCa(ca: TestCa): void {
  rmSync(ca.dir, { recursive: true, force: true });
}
