// `bun run start` (scripts/start.ts): both services, prefixed logs, stopped together.
import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type TestDatabase, createTestDatabase } from "./support/database.ts";
import { freePort } from "./support/ports.ts";
import { type ServiceProcess, spawnService } from "./support/services.ts";

setDefaultTimeout(60_000);

let db: TestDatabase;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop("SIGKILL")));
});
afterAll(async () => {
  await db.cleanup();
});

async function start(): Promise<{ run: ServiceProcess; httpPort: number }> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const run = spawnService("start", "scripts/start.ts", {
    ...db.env,
    DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_HTTP_BIND_ADDRESS: "127.0.0.1",
    DEFGUARD_PROXY_GRPC_PORT: String(grpcPort),
    DEFGUARD_PROXY_HTTP_PORT: String(httpPort),
    DEFGUARD_HTTP_PORT: "0",
  });
  running.push(run);
  await run.waitFor(/^core {2}\| .*Connected to proxy at http:\/\/127\.0\.0\.1:/);
  return { run, httpPort };
}

function pidOf(run: ServiceProcess, name: "proxy" | "core"): number {
  const line = run.matching(`start | ${name} started (pid `)[0] ?? "";
  return Number(/pid (\d+)/.exec(line)?.[1]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("bun run start", () => {
  test("runs both with prefixed logs; SIGINT stops both and exits 0", async () => {
    const { run, httpPort } = await start();
    expect(run.matching(/^proxy \| .*Starting Defguard proxy server/)).toHaveLength(1);
    expect(run.matching(/^core {2}\| .*Connecting to proxy at/).length).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${httpPort}/api/v1/health-grpc`);
    expect(health.status).toBe(200);
    const pids = [pidOf(run, "proxy"), pidOf(run, "core")];
    expect(await run.stop("SIGINT")).toBe(0);
    expect(run.matching(/^core {2}\| .*Defguard core stopped/)).toHaveLength(1);
    expect(run.matching(/^proxy \| .*Defguard proxy stopped/)).toHaveLength(1);
    expect(pids.filter(alive)).toEqual([]);
  });

  test("when one service dies, the other is stopped and the exit code is non-zero", async () => {
    const { run } = await start();
    const [proxyPid, corePid] = [pidOf(run, "proxy"), pidOf(run, "core")];
    process.kill(proxyPid, "SIGKILL");
    const code = await run.exited;
    expect(code).not.toBe(0);
    expect(run.matching("start | proxy exited with signal SIGKILL; stopping the rest")).toHaveLength(1);
    expect(run.matching(/^core {2}\| .*Defguard core stopped/)).toHaveLength(1);
    expect(alive(corePid)).toBe(false);
  });
});
