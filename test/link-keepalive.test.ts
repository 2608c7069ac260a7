// A half-open link: the proxy frozen (SIGSTOP) answers nothing, not even a TCP reset. The core's HTTP/2
// keepalive pings notice it and the core redials; once the proxy runs again, the link is back.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { KEEPALIVE_TIME_MS, KEEPALIVE_TIMEOUT_MS } from "../core/proxy-link.ts";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { type ServiceProcess, WAIT_MS, startCoreProcess, startProxyProcess } from "./support/services.ts";

setDefaultTimeout(120_000);

let db: TestDatabase;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.close();
});
afterAll(async () => {
  for (const service of running) service.process.kill("SIGCONT");
  await Promise.all(running.map((service) => service.stop("SIGKILL")));
  await db.cleanup();
});

test("a frozen proxy is noticed by keepalive pings and the core redials once it runs again", async () => {
  const proxy = await startProxyProcess();
  running.push(proxy);
  const core = startCoreProcess({ ...db.env, DEFGUARD_PROXY_URL: `http://127.0.0.1:${proxy.grpcPort}` });
  running.push(core);
  await core.waitFor("Connected to proxy at");
  const mark = core.lines.length;
  const frozenAt = performance.now();
  proxy.process.kill("SIGSTOP");
  const line = await core.waitFor("Disconnected from proxy at", { from: mark, timeoutMs: KEEPALIVE_TIME_MS + KEEPALIVE_TIMEOUT_MS + WAIT_MS });
  process.stderr.write(`half-open link noticed after ${((performance.now() - frozenAt) / 1000).toFixed(1)} s\n`);
  expect(line).toContain("the connection to the proxy was lost");
  proxy.process.kill("SIGCONT");
  await core.waitFor("Connected to proxy at", { from: mark });
  const health = await fetch(`http://127.0.0.1:${proxy.httpPort}/api/v1/health-grpc`);
  expect(health.status).toBe(200);
});
