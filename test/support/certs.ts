// Test PKI: a CA and certificates it issues, written as PEM files to a temp dir, for TLS and mutual-TLS
// tests of the Proxy and the Core. ECDSA P-256 via @peculiar/x509 on WebCrypto; nothing from disk.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(crypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

export interface TestCa {
  name: string;
  /** The temp dir every file of this CA and its certificates goes to; remove with removeCa(). */
  dir: string;
  certPath: string;
  certPem: string;
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

export interface TestCert {
  certPath: string;
  keyPath: string;
  certPem: string;
  keyPem: string;
}

let serial = 1;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

/** A self-signed CA in a fresh temp dir (or `options.dir`). */
export async function makeCa(options: { name?: string; dir?: string } = {}): Promise<TestCa> {
  const name = options.name ?? "Defguard Test CA";
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "dg-certs-"));
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, "0"),
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 30 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const certPem = cert.toString("pem");
  const certPath = join(dir, `${slug(name)}.crt`);
  writeFileSync(certPath, certPem);
  return { name, dir, certPath, certPem, keys, cert };
}

/**
 * A certificate issued by `ca` for `names` (DNS names or IP addresses, the first is the CN), for a
 * server, or for a client with `client: true`. Files go to `ca.dir`.
 */
export async function makeCert(ca: TestCa, options: { names: string[]; client?: boolean }): Promise<TestCert> {
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const altNames = options.names.map((n) => ({ type: isIP(n) ? ("ip" as const) : ("dns" as const), value: n }));
  const usage = options.client ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16).padStart(2, "0"),
    subject: `CN=${options.names[0] ?? "client"}`,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 30 * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      new x509.SubjectAlternativeNameExtension(altNames),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  const base = join(ca.dir, `${slug(options.names[0] ?? "client")}-${options.client ? "client" : "server"}-${serial}`);
  const certPem = cert.toString("pem");
  const keyPem = await privateKeyPem(keys.privateKey);
  writeFileSync(`${base}.crt`, certPem);
  writeFileSync(`${base}.key`, keyPem, { mode: 0o600 });
  return { certPath: `${base}.crt`, keyPath: `${base}.key`, certPem, keyPem };
}

/** Deletes the CA's temp dir and everything issued into it. */
export function removeCa(ca: TestCa): void {
  rmSync(ca.dir, { recursive: true, force: true });
}
