// TLS and mutual TLS on the Proxy's gRPC port, with a CA and certificates made by the test.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { TlsConfigError } from "../shared/tls.ts";
import { type TestCa, type TestCert, makeCa, makeCert, removeCa } from "./support/certs.ts";
import { type TestProxy, startTestProxy } from "./support/in-process-proxy.ts";
import { type TestCore, connectTestCore } from "./support/test-core.ts";

let ca: TestCa;
let otherCa: TestCa;
let server: TestCert;
let client: TestCert;
let strangerClient: TestCert;

beforeAll(async () => {
  ca = await makeCa({ name: "Proxy Test CA" });
  otherCa = await makeCa({ name: "Other CA" });
  server = await makeCert(ca, { names: ["localhost", "127.0.0.1"] });
  client = await makeCert(ca, { names: ["core.internal"], client: true });
  strangerClient = await makeCert(otherCa, { names: ["stranger"], client: true });
});

afterAll(() => {
  removeCa(ca);
  removeCa(otherCa);
});

let proxy: TestProxy | undefined;
const cores: TestCore[] = [];

afterEach(async () => {
  for (const c of cores.splice(0)) c.close();
  await proxy?.stop();
  proxy = undefined;
});

const pem = (path: string) => readFileSync(path);

/**
 * Bun's TLS refuses an IP address as SNI server name, and grpc-js sends the target host as SNI; so the
 * test Cores dial 127.0.0.1 and name the server `localhost` (also in the certificate).
 */
const TLS_CHANNEL_OPTIONS = { "grpc.ssl_target_name_override": "localhost" };

function dial(credentials: grpc.ChannelCredentials): TestCore {
  const core = connectTestCore({ target: proxy!.target, credentials, channelOptions: TLS_CHANNEL_OPTIONS });
  cores.push(core);
  return core;
}

async function refused(core: TestCore): Promise<grpc.StatusObject> {
  const status = await core.status;
  expect(status.code).toBe(grpc.status.UNAVAILABLE);
  expect(proxy!.proxy.links.connectedCount).toBe(0);
  return status;
}

describe("TLS", () => {
  test("a Core trusting the CA connects; startup says TLS is on", async () => {
    proxy = await startTestProxy({ DEFGUARD_PROXY_GRPC_CERT: server.certPath, DEFGUARD_PROXY_GRPC_KEY: server.keyPath });
    expect(proxy.lines.some((l) => l.includes("INFO defguard_proxy::server: gRPC TLS is on; mutual TLS is off"))).toBe(true);
    const core = dial(grpc.credentials.createSsl(pem(ca.certPath)));
    await core.headers;
    expect(proxy.proxy.links.connectedCount).toBe(1);
    const res = await fetch(`${proxy.url}/api/v1/health-grpc`);
    expect([res.status, await res.text()]).toEqual([200, "alive"]);
  });

  test("a Core trusting another CA is refused", async () => {
    proxy = await startTestProxy({ DEFGUARD_PROXY_GRPC_CERT: server.certPath, DEFGUARD_PROXY_GRPC_KEY: server.keyPath });
    const status = await refused(dial(grpc.credentials.createSsl(pem(otherCa.certPath))));
    expect(status.details).toMatch(/certificate|self[- ]signed|issuer/i);
  });

  test("a plaintext Core is refused by a TLS Proxy", async () => {
    proxy = await startTestProxy({ DEFGUARD_PROXY_GRPC_CERT: server.certPath, DEFGUARD_PROXY_GRPC_KEY: server.keyPath });
    await refused(dial(grpc.credentials.createInsecure()));
  });
});

describe("mutual TLS", () => {
  const mtlsEnv = () => ({
    DEFGUARD_PROXY_GRPC_CERT: server.certPath,
    DEFGUARD_PROXY_GRPC_KEY: server.keyPath,
    DEFGUARD_PROXY_GRPC_CLIENT_CA: ca.certPath,
  });

  test("a Core with a certificate from the client CA connects; startup says mutual TLS is on", async () => {
    proxy = await startTestProxy(mtlsEnv());
    expect(proxy.lines.some((l) => l.includes("INFO defguard_proxy::server: gRPC TLS is on, with mutual TLS"))).toBe(true);
    const core = dial(grpc.credentials.createSsl(pem(ca.certPath), pem(client.keyPath), pem(client.certPath)));
    await core.headers;
    expect(proxy.proxy.links.connectedCount).toBe(1);
  });

  test("a Core without a client certificate is refused", async () => {
    proxy = await startTestProxy(mtlsEnv());
    await refused(dial(grpc.credentials.createSsl(pem(ca.certPath))));
  });

  test("a Core whose certificate comes from another CA is refused", async () => {
    proxy = await startTestProxy(mtlsEnv());
    await refused(dial(grpc.credentials.createSsl(pem(ca.certPath), pem(strangerClient.keyPath), pem(strangerClient.certPath))));
  });
});

describe("TLS settings at startup", () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ["cert without key", { DEFGUARD_PROXY_GRPC_CERT: "CERT" }, "DEFGUARD_PROXY_GRPC_KEY", /is unset while DEFGUARD_PROXY_GRPC_CERT is set/],
    ["key without cert", { DEFGUARD_PROXY_GRPC_KEY: "KEY" }, "DEFGUARD_PROXY_GRPC_CERT", /is unset while DEFGUARD_PROXY_GRPC_KEY is set/],
    ["a missing cert file", { DEFGUARD_PROXY_GRPC_CERT: "/nonexistent/proxy.crt", DEFGUARD_PROXY_GRPC_KEY: "KEY" }, "DEFGUARD_PROXY_GRPC_CERT", /cannot read \/nonexistent\/proxy\.crt \(ENOENT\)/],
    ["a key that is no PEM", { DEFGUARD_PROXY_GRPC_CERT: "CERT", DEFGUARD_PROXY_GRPC_KEY: "CERT" }, "DEFGUARD_PROXY_GRPC_KEY", /is not a PEM private key/],
    ["a client CA without TLS", { DEFGUARD_PROXY_GRPC_CLIENT_CA: "CA" }, "DEFGUARD_PROXY_GRPC_CLIENT_CA", /client certificates need TLS/],
  ];
  for (const [what, env, variable, detail] of cases) {
    test(`${what}: startup fails naming ${variable}`, async () => {
      const resolved = Object.fromEntries(
        Object.entries(env).map(([k, v]) => [k, v === "CERT" ? server.certPath : v === "KEY" ? server.keyPath : v === "CA" ? ca.certPath : v]),
      );
      const error = await startTestProxy(resolved).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TlsConfigError);
      expect((error as TlsConfigError).variable).toBe(variable);
      expect((error as Error).message).toMatch(detail);
    });
  }
});
