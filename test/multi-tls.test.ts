// Several TLS proxies on one DEFGUARD_PROXY_URL list (docs/scaling.md): the TLS options apply to every
// proxy; proxies whose certificates come from different CAs are all trusted through one CA bundle in
// DEFGUARD_PROXY_GRPC_CA; one client certificate serves every proxy that asks for mutual TLS. A core that
// trusts only one of the CAs is served by that proxy alone, and its health says so.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAuthority, issueProxyCertificate } from "../scripts/private-ca.ts";
import { type TestCa, makeCa, makeCert, removeCa } from "./support/certs.ts";
import { createTestDatabase } from "./support/database.ts";
import { type ProxyProcess, type ServiceProcess, WAIT_MS, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(120_000);

const db = await createTestDatabase();
const onPostgres = db.kind === "postgres";
if (!onPostgres) process.stderr.write("multi-tls: skipped, several cores need PostgreSQL on 127.0.0.1:5432\n");

let siteA: TestCa;
let siteB: TestCa;
let clients: TestCa;
const files: Record<string, string> = {};
const running: ServiceProcess[] = [];

beforeAll(async () => {
  siteA = await makeCa({ name: "Site A CA" });
  siteB = await makeCa({ name: "Site B CA", dir: siteA.dir });
  clients = await makeCa({ name: "Core clients CA", dir: siteA.dir });
  const certA = await makeCert(siteA, { names: ["localhost"] });
  const certB = await makeCert(siteB, { names: ["localhost"] });
  const core = await makeCert(clients, { names: ["defguard-core"], client: true });
  const write = (name: string, text: string) => {
    files[name] = join(siteA.dir, `${name}.pem`);
    writeFileSync(files[name]!, text);
  };
  write("bundle", siteA.certPem + siteB.certPem);
  Object.assign(files, { certA: certA.certPath, keyA: certA.keyPath, certB: certB.certPath, keyB: certB.keyPath });
  Object.assign(files, { caA: siteA.certPath, clientCa: clients.certPath, coreCert: core.certPath, coreKey: core.keyPath });
  // Two CAs as scripts/private-ca.ts makes them: the same subject name, different keys.
  const twinA = await createAuthority(1);
  const twinB = await createAuthority(1);
  const twinCertA = await issueProxyCertificate(twinA, [], 1);
  const twinCertB = await issueProxyCertificate(twinB, [], 1);
  // Written as `bun run certs` writes ca.pem (no newline at the end), bundled by docs/scaling.md's command.
  write("twinCaA", twinA.certificate.toString("pem"));
  write("twinCaB", twinB.certificate.toString("pem"));
  files.twinBundle = join(siteA.dir, "twin-bundle.pem");
  const awk = Bun.spawnSync(["sh", "-c", `awk 1 "${files.twinCaA}" "${files.twinCaB}" > "${files.twinBundle}"`]);
  if (awk.exitCode !== 0) throw new Error(`awk: ${awk.stderr.toString()}`);
  write("twinCertA", twinCertA.certificatePem);
  write("twinKeyA", twinCertA.privateKeyPem);
  write("twinCertB", twinCertB.certificatePem);
  write("twinKeyB", twinCertB.privateKeyPem);
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop("SIGKILL")));
  removeCa(siteA);
  await db.cleanup();
});

async function proxy(cert: string, key: string, clientCa?: string): Promise<ProxyProcess> {
  const p = await startProxyProcess({ DEFGUARD_PROXY_GRPC_CERT: cert, DEFGUARD_PROXY_GRPC_KEY: key, ...(clientCa ? { DEFGUARD_PROXY_GRPC_CLIENT_CA: clientCa } : {}) });
  running.push(p);
  return p;
}

function core(proxies: ProxyProcess[], env: Record<string, string>): ServiceProcess {
  const c = startCoreProcess({ ...db.env, DEFGUARD_PROXY_URL: proxies.map((p) => `https://localhost:${p.grpcPort}`).join(","), ...env });
  running.push(c);
  return c;
}

async function health(c: ServiceProcess): Promise<{ status: number; body: unknown }> {
  const port = /:(\d+)\s*$/.exec(await c.waitFor("Admin API listening on"))![1];
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
  return { status: res.status, body: await res.json() };
}

/** Polls the core's health until `connected` links are up. */
async function healthWhen(c: ServiceProcess, connected: number): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const answer = (await health(c)) as { status: number; body: any };
    if (answer.body.proxies.connected === connected || Date.now() > deadline) return answer;
    await Bun.sleep(100);
  }
}

describe.skipIf(!onPostgres)("TLS options shared by every proxy of the list", () => {
  test("a CA bundle trusts two sites' CAs; one client certificate serves both mutual-TLS proxies; trusting one CA leaves one proxy", async () => {
    const [a, b] = [await proxy(files.certA!, files.keyA!, files.clientCa), await proxy(files.certB!, files.keyB!, files.clientCa)];
    const mtls = { DEFGUARD_PROXY_GRPC_CLIENT_CERT: files.coreCert!, DEFGUARD_PROXY_GRPC_CLIENT_KEY: files.coreKey! };
    const both = core([a!, b!], { DEFGUARD_PROXY_GRPC_CA: files.bundle!, ...mtls });
    const onlyA = core([a!, b!], { DEFGUARD_PROXY_GRPC_CA: files.caA!, ...mtls });

    for (const p of [a!, b!]) await both.waitFor(`INFO defguard::grpc: Connected to proxy at https://localhost:${p.grpcPort}`);
    expect(await healthWhen(both, 2)).toEqual({ status: 200, body: { status: "ok", database: "up", proxies: { connected: 2, configured: 2 } } });

    await onlyA.waitFor(`Connected to proxy at https://localhost:${a!.grpcPort}`);
    const refused = await onlyA.waitFor(`Cannot connect to proxy at https://localhost:${b!.grpcPort}`);
    expect(refused).toContain("TLS: the proxy's certificate is not trusted");
    expect(await healthWhen(onlyA, 1)).toEqual({ status: 200, body: { status: "ok", database: "up", proxies: { connected: 1, configured: 2 } } });

    // Site A goes away: the core that trusts only A has no link left and says so; the other keeps B.
    expect(await a!.stop("SIGTERM")).toBe(0);
    expect(await healthWhen(onlyA, 0)).toEqual({ status: 503, body: { status: "unavailable", database: "up", proxies: { connected: 0, configured: 2 } } });
    expect(await healthWhen(both, 1)).toEqual({ status: 200, body: { status: "ok", database: "up", proxies: { connected: 1, configured: 2 } } });
    await Promise.all([both.stop(), onlyA.stop(), b!.stop()]);
  });

  test("two CAs with the same subject name (scripts/private-ca.ts run once per site) in one bundle: both proxies trusted", async () => {
    const [a, b] = [await proxy(files.twinCertA!, files.twinKeyA!), await proxy(files.twinCertB!, files.twinKeyB!)];
    const c = core([a!, b!], { DEFGUARD_PROXY_GRPC_CA: files.twinBundle! });
    expect(await healthWhen(c, 2)).toEqual({ status: 200, body: { status: "ok", database: "up", proxies: { connected: 2, configured: 2 } } });
    expect(c.matching("Cannot connect to proxy")).toEqual([]);
    await Promise.all([c.stop(), a!.stop(), b!.stop()]);
  });
});
