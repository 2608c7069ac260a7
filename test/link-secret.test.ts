// The link's optional shared secret (DEFGUARD_PROXY_SHARED_SECRET, the same on core and proxy): a rogue
// client that reaches the Proxy's gRPC port without it, or with another, is refused with UNAUTHENTICATED
// and never gets a request, over plaintext and over TLS; real core processes say what the proxy refused.
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHARED_SECRET_HEADER } from "../shared/link-secret.ts";
import { createAuthority, issueProxyCertificate } from "../scripts/private-ca.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { instanceInfo, useLinkFixture } from "./support/link-fixture.ts";
import { type ServiceProcess, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(60_000);

const SECRET = "link-secret-for-tests-0123456789abcdef";
const OTHER_SECRET = "another-secret-for-tests-0123456789abcd";
const MISSING = "this proxy requires a shared secret (DEFGUARD_PROXY_SHARED_SECRET) and none was presented";
const WRONG = "the shared secret presented does not match this proxy's DEFGUARD_PROXY_SHARED_SECRET";
const ANYONE = "is accepted as a Core, and receives what users send (passwords, tokens)";

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dg-link-secret-"));
  const ca = await createAuthority(1);
  const proxy = await issueProxyCertificate(ca, [], 1);
  files.ca = join(dir, "ca.pem");
  files.cert = join(dir, "proxy.pem");
  files.key = join(dir, "proxy-key.pem");
  writeFileSync(files.ca, ca.certificate.toString("pem"));
  writeFileSync(files.cert, proxy.certificatePem);
  writeFileSync(files.key, proxy.privateKeyPem, { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const link = useLinkFixture();

const transports = {
  plaintext: { env: {}, dial: () => ({}) },
  TLS: {
    env: () => ({ DEFGUARD_PROXY_GRPC_CERT: files.cert!, DEFGUARD_PROXY_GRPC_KEY: files.key! }),
    // The certificate names localhost; Bun's TLS does not verify an IP address as the server name.
    dial: () => ({ target: link.proxy.target.replace("127.0.0.1", "localhost"), credentials: grpc.credentials.createSsl(readFileSync(files.ca!)) }),
  },
};

for (const [name, transport] of Object.entries(transports)) {
  describe(`a proxy with a shared secret, over ${name}`, () => {
    const setup = () => link.setup({ ...(typeof transport.env === "function" ? transport.env() : transport.env), DEFGUARD_PROXY_SHARED_SECRET: SECRET });

    test("a client presenting no secret is refused with UNAUTHENTICATED and gets no request", async () => {
      await setup();
      const rogue = link.dial({ ...transport.dial(), answer: () => instanceInfo("forged") });
      const status = await rogue.status;
      expect([status.code, status.details]).toEqual([grpc.status.UNAUTHENTICATED, MISSING]);
      expect(await rogue.headers.catch(() => "refused before any header")).toBe("refused before any header");
      const poll = await link.poll();
      expect(poll.status).toBe(503);
      expect(rogue.requests).toEqual([]);
      expect(link.proxy.lines.find((l) => l.includes("Refused RPC client"))).toMatch(
        /WARN defguard_proxy: Refused RPC client 127\.0\.0\.1:\d+: it presented no shared secret \(DEFGUARD_PROXY_SHARED_SECRET is set on this proxy\)$/,
      );
    });

    test("a client presenting another secret is refused the same way", async () => {
      await setup();
      const rogue = link.dial({ ...transport.dial(), metadata: { [SHARED_SECRET_HEADER]: OTHER_SECRET }, answer: () => instanceInfo("forged") });
      const status = await rogue.status;
      expect([status.code, status.details]).toEqual([grpc.status.UNAUTHENTICATED, WRONG]);
      expect((await link.poll()).status).toBe(503);
      expect(rogue.requests).toEqual([]);
      expect(link.proxy.lines.some((l) => l.includes("wrong shared secret (DEFGUARD_PROXY_SHARED_SECRET differs from this proxy's)"))).toBe(true);
      expect(link.proxy.lines.some((l) => l.includes(OTHER_SECRET))).toBe(false);
    });

    test("a core presenting the secret is served", async () => {
      const proxy = await setup();
      expect(proxy.lines.some((l) => l.includes("INFO defguard_proxy::server: Cores must present DEFGUARD_PROXY_SHARED_SECRET"))).toBe(true);
      expect(proxy.lines.some((l) => l.includes(ANYONE))).toBe(false);
      const core = await link.core({ ...transport.dial(), metadata: { [SHARED_SECRET_HEADER]: SECRET }, answer: () => instanceInfo("laptop") });
      const poll = await link.poll();
      expect(poll.status).toBe(200);
      expect(core.requests).toHaveLength(1);
      expect(proxy.lines.some((l) => l.includes(SECRET))).toBe(false);
    });
  });
}

describe("the startup warning about who is taken for a Core", () => {
  test("without mutual TLS or a secret: any client reaching the port, said at WARN", async () => {
    const proxy = await link.setup();
    expect(proxy.lines.find((l) => l.includes(ANYONE))).toMatch(
      /WARN defguard_proxy::server: Any client that reaches the gRPC port 127\.0\.0\.1:\d+ is accepted as a Core, .* turn on mutual TLS \(DEFGUARD_PROXY_GRPC_CLIENT_CA\) or set DEFGUARD_PROXY_SHARED_SECRET on this proxy and the core$/,
    );
  });

  test("with mutual TLS: no such warning", async () => {
    const proxy = await link.setup({ ...transports.TLS.env(), DEFGUARD_PROXY_GRPC_CLIENT_CA: files.ca! });
    expect(proxy.lines.some((l) => l.includes(ANYONE))).toBe(false);
  });
});

describe("real core processes and a proxy with a shared secret", () => {
  let db: TestDatabase;
  const running: ServiceProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.close(); // an embedded database serves one process: the core under test
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop("SIGKILL")));
  });
  afterAll(() => db.cleanup());

  async function proxyAndCore(coreSecret: string | undefined) {
    const proxy = await startProxyProcess({ DEFGUARD_PROXY_SHARED_SECRET: SECRET });
    running.push(proxy);
    const core = startCoreProcess({ ...db.env, DEFGUARD_PROXY_URL: `http://127.0.0.1:${proxy.grpcPort}`, DEFGUARD_PROXY_SHARED_SECRET: coreSecret });
    running.push(core);
    return { proxy, core };
  }

  test("the same secret on both: connected", async () => {
    const { proxy, core } = await proxyAndCore(SECRET);
    await core.waitFor("Connected to proxy at");
    await proxy.waitFor("RPC client connected from: 127.0.0.1:");
    expect(core.output).not.toContain(SECRET);
  });

  test("another secret on the core: the core's log says the proxy refused its secret", async () => {
    const { proxy, core } = await proxyAndCore(OTHER_SECRET);
    const line = await core.waitFor("Cannot connect to proxy");
    expect(line).toContain(
      `Cannot connect to proxy at http://127.0.0.1:${proxy.grpcPort}: the proxy refused this core's shared secret: DEFGUARD_PROXY_SHARED_SECRET differs between the core and the proxy; retrying in`,
    );
    expect(core.matching("Connected to proxy")).toEqual([]);
    await proxy.waitFor("wrong shared secret");
  });

  test("no secret on the core: the core's log says the proxy requires one", async () => {
    const { core } = await proxyAndCore(undefined);
    expect(await core.waitFor("Cannot connect to proxy")).toContain(
      "the proxy requires a shared secret: set DEFGUARD_PROXY_SHARED_SECRET on the core to the proxy's value",
    );
    expect(core.matching("Connected to proxy")).toEqual([]);
  });
});
