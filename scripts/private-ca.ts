// A private certificate authority for the Core -> Proxy gRPC link: the CA itself, the proxy's server
// certificate and the core's client certificate (mutual TLS). WebCrypto through @peculiar/x509, so it
// runs wherever Bun runs, without the openssl command.
import "reflect-metadata"; // @peculiar/x509 (through tsyringe) needs it loaded first
import * as x509 from "@peculiar/x509";
import { isIP } from "node:net";

/** ECDSA P-256: accepted by grpc-js, nginx and every TLS stack a Core or Proxy meets. */
const KEY_ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;
/** Certificates start an hour in the past so that a clock slightly behind still accepts them. */
const CLOCK_SKEW_MS = 3_600_000;
const SERIAL_BYTES = 16;

export const CA_SUBJECT = "CN=Defguard private CA";
export const PROXY_SUBJECT = "CN=proxy";
export const CORE_SUBJECT = "CN=defguard-core";
/** Names every proxy certificate carries: the compose service, and loopback for one-host trials. */
export const DEFAULT_PROXY_NAMES = ["proxy", "localhost", "127.0.0.1", "::1"] as const;

export interface KeyAndCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface IssuedCertificate extends KeyAndCertificate {
  certificate: x509.X509Certificate;
  /** The subjectAltName entries, as given (DNS names and IP addresses). */
  names: readonly string[];
}

export interface Authority {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

x509.cryptoProvider.set(crypto);

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`;
}

function fromPem(label: string, pem: string): ArrayBuffer {
  const match = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new Error(`expected a PEM ${label}`);
  const bytes = Buffer.from(match[1]!.replace(/\s+/g, ""), "base64");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A random positive serial number, as hex (the leading nibble kept below 8 so it stays positive). */
function randomSerial(): string {
  const hex = Buffer.from(crypto.getRandomValues(new Uint8Array(SERIAL_BYTES))).toString("hex");
  return `${(parseInt(hex[0]!, 16) & 0x7).toString(16)}${hex.slice(1)}`;
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + days * DAY_MS) };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(KEY_ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function exportPrivateKey(key: CryptoKey): Promise<string> {
  return toPem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", key));
}

/** A DNS name or an IP address (v4 or v6) as a subjectAltName entry. */
export function subjectAltName(name: string): x509.JsonGeneralName {
  return isIP(name) ? { type: "ip", value: name } : { type: "dns", value: name.toLowerCase() };
}

/** A new self-signed CA that may sign end-entity certificates only (path length 0). */
export async function createAuthority(days: number): Promise<Authority & { privateKeyPem: string }> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: CA_SUBJECT,
    ...validity(days),
    signingAlgorithm: KEY_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey, privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

/** Loads a CA written earlier by `bun run certs`, so renewed certificates keep the trust already given. */
export async function loadAuthority(certificatePem: string, privateKeyPem: string): Promise<Authority> {
  const certificate = new x509.X509Certificate(certificatePem);
  const privateKey = await crypto.subtle.importKey("pkcs8", fromPem("PRIVATE KEY", privateKeyPem), KEY_ALGORITHM, false, ["sign"]);
  return { certificate, privateKey };
}

interface LeafRequest {
  subject: string;
  usage: "server" | "client";
  names: readonly string[];
  days: number;
}

async function issue(authority: Authority, request: LeafRequest): Promise<IssuedCertificate> {
  const keys = await generateKeys();
  const extendedUsage = request.usage === "server" ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([extendedUsage]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(authority.certificate),
  ];
  if (request.names.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(request.names.map(subjectAltName)));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: request.subject,
    issuer: authority.certificate.subject,
    ...validity(request.days),
    signingAlgorithm: KEY_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: authority.privateKey,
    extensions,
  });
  return {
    certificate,
    certificatePem: certificate.toString("pem"),
    privateKeyPem: await exportPrivateKey(keys.privateKey),
    names: request.names,
  };
}

/** The proxy's gRPC server certificate: the default names plus `extraNames` (DMZ host names, addresses). */
export function issueProxyCertificate(authority: Authority, extraNames: readonly string[], days: number): Promise<IssuedCertificate> {
  const names = [...new Set([...DEFAULT_PROXY_NAMES, ...extraNames])];
  return issue(authority, { subject: PROXY_SUBJECT, usage: "server", names, days });
}

/** The core's client certificate, presented to a proxy that requires mutual TLS. */
export function issueCoreCertificate(authority: Authority, days: number): Promise<IssuedCertificate> {
  return issue(authority, { subject: CORE_SUBJECT, usage: "client", names: [], days });
}
