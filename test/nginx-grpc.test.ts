// nginx (Debian's nginx-light) terminating TLS in front of the Proxy's gRPC port with `grpc_pass`, run with
// the configuration docs/deployment.md gives (read from the doc), a CA and certificates made here, and
// real proxy and core processes. Skipped, saying so, only when /usr/sbin/nginx is missing.
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEnrollment } from "../core/users/start-enrollment.ts";
import { createUser } from "../core/store/users.ts";
import { updateSettings } from "../core/store/settings.ts";
import { createAuthority, issueCoreCertificate, issueProxyCertificate } from "../scripts/private-ca.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { freePort } from "./support/ports.ts";
import { NGINX_BINARY, type NginxOptions, NginxProcess, nginxDir } from "./support/nginx.ts";
import { type ProxyProcess, type ServiceProcess, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(120_000);

const available = existsSync(NGINX_BINARY);
if (!available) console.warn(`test/nginx-grpc.test.ts skipped: ${NGINX_BINARY} is missing (apt-get install nginx-light; .ci/run installs it)`);

/** The admin API caps the welcome message at this; each enrollment/start answer carries it whole. */
const WELCOME_CHARS = 10_000;
/** More than nginx's default client_max_body_size (1 MiB) twice over: the link must carry it. */
const ANSWER_BYTES = 2 * 1024 * 1024;
const CONCURRENCY = 8;
const PROXY_DOWN = "the reverse proxy answered HTTP 502: the Proxy behind it is down";
/** On both sides, as docs/deployment.md suggests behind nginx: the header must pass nginx. */
const SHARED_SECRET = "nginx-test-shared-secret-0123456789abcdef";

let dir: string;
let db: TestDatabase;
let token: string;
const files: Record<string, string> = {};

function write(name: string, text: string, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  return path;
}

beforeAll(async () => {
  if (!available) return;
  dir = nginxDir();
  const ca = await createAuthority(1);
  const proxyCert = await issueProxyCertificate(ca, [], 1); // names localhost among others
  const coreCert = await issueCoreCertificate(ca, 1);
  files.ca = write("ca.pem", ca.certificate.toString("pem"));
  files.serverCert = write("proxy.pem", proxyCert.certificatePem);
  files.serverKey = write("proxy-key.pem", proxyCert.privateKeyPem, 0o600);
  files.coreCert = write("core.pem", coreCert.certificatePem);
  files.coreKey = write("core-key.pem", coreCert.privateKeyPem, 0o600);

  db = await createTestDatabase();
  await updateSettings(db.sql, { enrollment_welcome_message: "Welcome to the office VPN, {first_name}. ".repeat(400).slice(0, WELCOME_CHARS) });
  await createUser(db.sql, { username: "alice", email: "alice@example.com", first_name: "Alice", last_name: "Smith" });
  const started = await startEnrollment(db.sql, { username: "alice", kind: "enrollment", adminId: null, enrollmentUrl: "http://localhost:8080", tokenValidForS: 86_400 });
  token = started.token;
  await db.close(); // an embedded database serves one process: the core under test
});

afterAll(async () => {
  if (!available) return;
  await db.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** `2026-12-04T07:01:56.081732Z  INFO ...` -> epoch ms of the line's timestamp. */
function timeOf(line: string): number {
  return Date.parse(`${line.slice(0, 23)}Z`);
}

function startCore(nginxPort: number, clientCert = true): ServiceProcess {
  return startCoreProcess({
    ...db.env,
    DEFGUARD_PROXY_URL: `https://localhost:${nginxPort}`,
    DEFGUARD_PROXY_GRPC_CA: files.ca!,
    DEFGUARD_PROXY_SHARED_SECRET: SHARED_SECRET,
    ...(clientCert ? { DEFGUARD_PROXY_GRPC_CLIENT_CERT: files.coreCert!, DEFGUARD_PROXY_GRPC_CLIENT_KEY: files.coreKey! } : {}),
  });
}

function nginxOptions(port: number, upstreamPort: number, subdir: string): { dir: string; options: NginxOptions } {
  const path = join(dir, subdir);
  mkdirSync(path, { mode: 0o755 });
  return { dir: path, options: { port, upstreamPort, files: { serverCert: files.serverCert!, serverKey: files.serverKey!, clientCa: files.ca! } } };
}

async function enrollmentStart(httpPort: number): Promise<{ status: number; bytes: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/enrollment/start`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  const body = await response.text();
  return { status: response.status, bytes: Buffer.byteLength(body), body };
}

describe.skipIf(!available)("nginx with grpc_pass and TLS in front of the proxy's gRPC port", () => {
  let proxy: ProxyProcess;
  let nginx: NginxProcess;
  let core: ServiceProcess | undefined;
  let setup: { dir: string; options: NginxOptions };

  beforeAll(async () => {
    // The per-token attempt limit is off: this test sends one token hundreds of times on purpose.
    proxy = await startProxyProcess({ DEFGUARD_PROXY_SECRET_ATTEMPTS_PER_MINUTE: "0", DEFGUARD_PROXY_SHARED_SECRET: SHARED_SECRET });
    setup = nginxOptions(await freePort(), proxy.grpcPort, "up");
    nginx = await NginxProcess.start(setup.dir, setup.options);
  });
  afterAll(async () => {
    await core?.stop("SIGKILL");
    await nginx?.stop();
    await proxy?.stop("SIGKILL");
  });

  test("the core connects through nginx and the proxy's requests are answered", async () => {
    core = startCore(setup.options.port);
    const connected = await core.waitFor(`Connected to proxy at https://localhost:${setup.options.port}`);
    const dialled = core.matching("Connecting to proxy at").at(-1)!;
    console.log(`nginx-grpc: the core connected ${timeOf(connected) - timeOf(dialled)} ms after its last dial through nginx (${core.matching("Connecting to proxy at").length} dial(s))`);
    expect(connected).toContain("proxy_version=");
    await proxy.waitFor("RPC client connected from: 127.0.0.1:");
    const answer = await enrollmentStart(proxy.httpPort);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).final_page_content).toStartWith("Welcome to the office VPN, Alice. ");
  });

  test("2 MiB of answers on one link pass nginx without a reset (client_max_body_size 0)", async () => {
    const mark = core!.lines.length;
    let sent = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (sent < ANSWER_BYTES) {
        const answer = await enrollmentStart(proxy.httpPort);
        statuses.push(answer.status);
        sent += answer.bytes;
        if (answer.status !== 200) return;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const counts = Object.fromEntries([...new Set(statuses)].map((status) => [status, statuses.filter((s) => s === status).length]));
    expect({ counts, disconnected: core!.matching("Disconnected from proxy", mark) }).toEqual({ counts: { 200: statuses.length }, disconnected: [] });
    expect(sent).toBeGreaterThan(ANSWER_BYTES);
    expect(proxy.matching("RPC client connected from:")).toHaveLength(1);
    console.log(`nginx-grpc: ${statuses.length} answers, ${(sent / 1024 / 1024).toFixed(2)} MiB of JSON, on one link`);
  });

  test("nginx restarted: the core is back by itself", async () => {
    const mark = core!.lines.length;
    await nginx.stop();
    await core!.waitFor(`Disconnected from proxy at https://localhost:${setup.options.port}`, { from: mark });
    nginx = await NginxProcess.start(setup.dir, setup.options);
    await core!.waitFor(`Connected to proxy at https://localhost:${setup.options.port}`, { from: mark });
    expect((await enrollmentStart(proxy.httpPort)).status).toBe(200);
  });

  test("nginx reloaded: the old worker lets the link go (worker_shutdown_timeout) and the core moves to a new one", async () => {
    const mark = core!.lines.length;
    const proxyMark = proxy.lines.length;
    nginx.reload();
    await core!.waitFor(`Disconnected from proxy at https://localhost:${setup.options.port}`, { from: mark });
    await core!.waitFor(`Connected to proxy at https://localhost:${setup.options.port}`, { from: mark });
    await proxy.waitFor("RPC client connected from: 127.0.0.1:", { from: proxyMark });
    expect((await enrollmentStart(proxy.httpPort)).status).toBe(200);
  });

  test("a core without the client certificate nginx requires is told nginx refused it", async () => {
    await core!.stop("SIGKILL"); // the embedded database serves one core at a time
    core = startCore(setup.options.port, false);
    const line = await core.waitFor("Cannot connect to proxy");
    expect(line).toContain("the reverse proxy answered HTTP 400: it refused the request");
    expect(line).toContain("DEFGUARD_PROXY_GRPC_CLIENT_CERT");
    expect(core.matching("Connected to proxy")).toEqual([]);
  });
});

describe.skipIf(!available)("nginx up, the proxy behind it down", () => {
  let nginx: NginxProcess | undefined;
  let core: ServiceProcess | undefined;
  afterEach(async () => {
    await core?.stop("SIGKILL");
    await nginx?.stop();
  });

  test("the core logs that the reverse proxy answered 502, and never that it connected", async () => {
    const { dir: nginxAt, options } = nginxOptions(await freePort(), await freePort(), "down");
    nginx = await NginxProcess.start(nginxAt, options);
    core = startCore(options.port);
    await core.waitFor(PROXY_DOWN);
    await core.waitFor(PROXY_DOWN, { from: core.lines.indexOf(core.matching(PROXY_DOWN)[0]!) + 1 }); // and again on the retry
    expect(core.matching(`Cannot connect to proxy at https://localhost:${options.port}: ${PROXY_DOWN}; retrying in`).length).toBeGreaterThanOrEqual(2);
    expect(core.matching("Connected to proxy")).toEqual([]);
    expect(core.matching("Disconnected")).toEqual([]);
  });
});
