// Reading and validating PEM files named by env variables, and building grpc-js credentials from them.
// A bad file is a startup error that names the variable; nothing silently falls back to plaintext.
import { readFileSync } from "node:fs";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { ChannelCredentials, ServerCredentials } from "@grpc/grpc-js";

export class TlsConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable}: ${detail}`);
    this.name = "TlsConfigError";
  }
}

type PemKind = "certificate" | "private key";

function readFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
    throw new TlsConfigError(variable, `cannot read ${path} (${code}); expected a readable PEM file`);
  }
}

/** Reads a PEM file and checks that it parses as the given kind; errors name `variable`. */
export function readPem(variable: string, path: string, kind: PemKind): Buffer {
  const pem = readFile(variable, path);
  try {
    if (kind === "certificate") new X509Certificate(pem);
    else createPrivateKey(pem);
  } catch {
    throw new TlsConfigError(variable, `${path} is not a PEM ${kind}`);
  }
  return pem;
}

export interface ServerTlsPaths {
  cert?: { variable: string; path: string | undefined };
  key?: { variable: string; path: string | undefined };
  clientCa?: { variable: string; path: string | undefined };
}

export interface ServerTls {
  credentials: ServerCredentials;
  tls: boolean;
  mutualTls: boolean;
}

/**
 * Server credentials: TLS when both cert and key are given, mutual TLS when a client CA is given too.
 * Exactly one of cert/key, or a client CA without TLS, is an error naming the missing variable.
 */
export function buildServerCredentials(paths: Required<ServerTlsPaths>): ServerTls {
  const { cert, key, clientCa } = paths;
  if (!cert.path && !key.path) {
    if (clientCa.path) {
      throw new TlsConfigError(clientCa.variable, `client certificates need TLS: set ${cert.variable} and ${key.variable} too`);
    }
    return { credentials: ServerCredentials.createInsecure(), tls: false, mutualTls: false };
  }
  if (!cert.path) throw new TlsConfigError(cert.variable, `is unset while ${key.variable} is set; set both for TLS, or neither`);
  if (!key.path) throw new TlsConfigError(key.variable, `is unset while ${cert.variable} is set; set both for TLS, or neither`);
  const certPem = readPem(cert.variable, cert.path, "certificate");
  const keyPem = readPem(key.variable, key.path, "private key");
  const caPem = clientCa.path ? readPem(clientCa.variable, clientCa.path, "certificate") : null;
  return {
    credentials: ServerCredentials.createSsl(caPem, [{ cert_chain: certPem, private_key: keyPem }], caPem !== null),
    tls: true,
    mutualTls: caPem !== null,
  };
}

export interface ChannelTlsPaths {
  ca: { variable: string; path: string | undefined };
  cert: { variable: string; path: string | undefined };
  key: { variable: string; path: string | undefined };
}

/** Channel credentials for an https:// target: the CA when given (else system roots), a client cert for mTLS. */
export function buildChannelCredentials(paths: ChannelTlsPaths): ChannelCredentials {
  const { ca, cert, key } = paths;
  if (Boolean(cert.path) !== Boolean(key.path)) {
    const missing = cert.path ? key : cert;
    const present = cert.path ? cert : key;
    throw new TlsConfigError(missing.variable, `is unset while ${present.variable} is set; set both for a client certificate, or neither`);
  }
  const caPem = ca.path ? readPem(ca.variable, ca.path, "certificate") : null;
  const certPem = cert.path ? readPem(cert.variable, cert.path, "certificate") : null;
  const keyPem = key.path ? readPem(key.variable, key.path, "private key") : null;
  return ChannelCredentials.createSsl(caPem, keyPem, certPem);
}
