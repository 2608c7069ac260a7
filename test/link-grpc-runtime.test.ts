// A guard against regressions of Bun's node:http2 and node:tls under grpc-js: a client and a server in one
// process, over plaintext and over TLS (and mutual TLS), at both service paths, with keepalive pings on.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { createAuthority, issueCoreCertificate, issueProxyCertificate } from "../scripts/private-ca.ts";
import { ProxyClientConstructor, proxyService, proxyServiceV1, type CoreRequest, type CoreResponse__Output } from "../shared/proto.ts";

setDefaultTimeout(60_000);

type ServerCall = grpc.ServerDuplexStream<CoreResponse__Output, CoreRequest>;
const MESSAGES = 200;

/** Sends MESSAGES requests as soon as a call opens, and collects the answers' ids. */
function echoService(received: number[]) {
  return {
    Bidi: (call: ServerCall) => {
      call.sendMetadata(new grpc.Metadata());
      call.on("data", (response: CoreResponse__Output) => {
        received.push(response.id);
        if (received.length === MESSAGES) call.end();
      });
      call.on("error", () => {});
      for (let id = 1; id <= MESSAGES; id++) call.write({ id, client_mfa_token_validation: { token: `t${id}` } });
    },
  };
}

let pki: { ca: Buffer; serverCert: Buffer; serverKey: Buffer; clientCert: Buffer; clientKey: Buffer };

beforeAll(async () => {
  const authority = await createAuthority(1);
  const server = await issueProxyCertificate(authority, [], 1);
  const client = await issueCoreCertificate(authority, 1);
  pki = {
    ca: Buffer.from(authority.certificate.toString("pem")),
    serverCert: Buffer.from(server.certificatePem),
    serverKey: Buffer.from(server.privateKeyPem),
    clientCert: Buffer.from(client.certificatePem),
    clientKey: Buffer.from(client.privateKeyPem),
  };
});

const servers: grpc.Server[] = [];
afterAll(() => servers.forEach((s) => s.forceShutdown()));

async function serve(credentials: grpc.ServerCredentials, received: number[]): Promise<number> {
  const server = new grpc.Server();
  server.addService(proxyService, echoService(received));
  server.addService(proxyServiceV1, echoService(received));
  servers.push(server);
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (err, port) => (err ? reject(err) : resolve(port))),
  );
}

/** Answers every request with its id over one Bidi call (the 2.x path when `v1`); resolves with the call's status. */
function roundTrip(target: string, credentials: grpc.ChannelCredentials, v1 = false): Promise<grpc.StatusObject> {
  const options = { "grpc.keepalive_time_ms": 1_000, "grpc.keepalive_timeout_ms": 5_000, "grpc.keepalive_permit_without_calls": 1 };
  const client = v1
    ? new (grpc.makeGenericClientConstructor(proxyServiceV1, "Proxy"))(target, credentials, options)
    : new ProxyClientConstructor(target, credentials, options);
  const call = (client as unknown as { Bidi: () => grpc.ClientDuplexStream<unknown, { id: number }> }).Bidi();
  call.on("data", (request) => call.write({ id: request.id, client_mfa_token_validation: { token_valid: true } }));
  call.on("error", () => {});
  return new Promise((resolve) =>
    call.on("status", (status) => {
      client.close();
      resolve(status);
    }),
  );
}

describe("grpc-js under Bun, client and server in one process", () => {
  test("plaintext HTTP/2, both service paths", async () => {
    for (const v1 of [false, true]) {
      const received: number[] = [];
      const port = await serve(grpc.ServerCredentials.createInsecure(), received);
      expect((await roundTrip(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), v1)).code).toBe(grpc.status.OK);
      expect(received.sort((a, b) => a - b)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
    }
  });

  test("TLS verified against a private CA", async () => {
    const received: number[] = [];
    const port = await serve(grpc.ServerCredentials.createSsl(null, [{ cert_chain: pki.serverCert, private_key: pki.serverKey }], false), received);
    expect((await roundTrip(`localhost:${port}`, grpc.credentials.createSsl(pki.ca))).code).toBe(grpc.status.OK);
    expect(received).toHaveLength(MESSAGES);
  });

  test("mutual TLS: with the client certificate the call works, without it the handshake fails", async () => {
    const received: number[] = [];
    const credentials = grpc.ServerCredentials.createSsl(pki.ca, [{ cert_chain: pki.serverCert, private_key: pki.serverKey }], true);
    const port = await serve(credentials, received);
    expect((await roundTrip(`localhost:${port}`, grpc.credentials.createSsl(pki.ca, pki.clientKey, pki.clientCert))).code).toBe(grpc.status.OK);
    expect(received).toHaveLength(MESSAGES);
    const refused = await roundTrip(`localhost:${port}`, grpc.credentials.createSsl(pki.ca));
    expect(refused.code).toBe(grpc.status.UNAVAILABLE);
    expect(refused.details).toContain("CERTIFICATE_REQUIRED");
  });
});
