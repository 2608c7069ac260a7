// Cores and gateways for the tests of gateway liveness and of its audit trail (test/gateway-stale.test.ts,
// test/gateway-audit-pairs.test.ts): Cores in this process and real Core processes, stamping their gateways
// every 2 s, gateways each on a connection of its own, and what the database holds of a gateway.
import type postgres from "postgres";
import { createLogger } from "../../shared/logger.ts";
import type { TestDatabase } from "./database.ts";
import { GATEWAY_SECRET, type GatewayCore, startGatewayCore } from "./gateway-stack.ts";
import { type ServiceProcess, portFrom, startCoreProcess } from "./services.ts";
import { connectTestGateway, type TestGateway, type UpdatesCall } from "./test-gateway.ts";

/** Stamps every 2 s: a gateway counts as gone 6 s after its Core stopped stamping. */
export const HEARTBEAT = { DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL: "2s" };
export const quiet = createLogger({ level: "error", format: "text", target: "test::gateways", write: () => {} });

type CoreDatabase = Pick<TestDatabase, "env" | "kind" | "close">;

export interface GatewayCluster {
  /** The in-process Cores running; stopping them writes their audit events. */
  cores: GatewayCore[];
  /** A Core in this process on the test's database (or `testDb`), stamping as HEARTBEAT unless `env` says. */
  core(env?: Record<string, string>, testDb?: CoreDatabase): Promise<GatewayCore>;
  /** `bun core/main.ts` serving gateways on loopback, stamping as HEARTBEAT unless `env` says; its admin URL and gateway target. */
  coreProcess(env: Record<string, string>): Promise<{ child: ServiceProcess; adminUrl: string; target: string }>;
  /** A gateway that has called nothing yet, on a connection of its own (so an address of its own). */
  gateway(target: string, token: string, hostname: string): TestGateway;
  /** A gateway with its Updates stream open on `target`, after its Config call. */
  connect(target: string, token: string, hostname: string): Promise<{ gateway: TestGateway; updates: UpdatesCall }>;
  /** Closes the gateways, stops the Cores and kills the processes started (after each test). */
  stopAll(): Promise<void>;
}

/** `db` gives the test's database once it exists (it is made in beforeAll). */
export function gatewayCluster(db: () => CoreDatabase): GatewayCluster {
  const cores: GatewayCore[] = [];
  const processes: ServiceProcess[] = [];
  const gateways: TestGateway[] = [];
  const gateway = (target: string, token: string, hostname: string) => {
    const started = connectTestGateway({ target, token, hostname, ownConnection: true });
    gateways.push(started);
    return started;
  };
  return {
    cores,
    async core(env = {}, testDb = db()) {
      const started = await startGatewayCore(testDb, { ...HEARTBEAT, ...env });
      cores.push(started);
      return started;
    },
    async coreProcess(env) {
      const child = startCoreProcess({ ...HEARTBEAT, ...env, DEFGUARD_GATEWAY_SECRET: GATEWAY_SECRET, DEFGUARD_GRPC_BIND_ADDRESS: "127.0.0.1", DEFGUARD_GRPC_PORT: "0" });
      processes.push(child);
      const adminUrl = `http://127.0.0.1:${portFrom(await child.waitFor("Admin API listening on"))}`;
      const target = `127.0.0.1:${portFrom(await child.waitFor("Gateway gRPC server is listening on"))}`;
      return { child, adminUrl, target };
    },
    gateway,
    async connect(target, token, hostname) {
      const started = gateway(target, token, hostname);
      await started.config("edge");
      return { gateway: started, updates: started.updates() };
    },
    async stopAll() {
      for (const g of gateways.splice(0)) g.close();
      for (const core of cores.splice(0)) await core.stop();
      await Promise.all(processes.splice(0).map((p) => p.stop("SIGKILL")));
    },
  };
}

export type Stamps = { seen_at: Date; disconnected_at: Date | null };

/** The gateway's row: its last stamp and when it was closed. */
export const stampsOf = async (sql: postgres.Sql, hostname: string): Promise<Stamps> =>
  (await sql<Stamps[]>`SELECT seen_at, disconnected_at FROM gateways WHERE hostname = ${hostname}`)[0]!;

export type AuditedRow = { event: string; ip_address: string; details: unknown };

/** The gateway's audit trail, oldest first: event, address and details. */
export const auditOf = async (sql: postgres.Sql, hostname: string): Promise<AuditedRow[]> => [
  ...(await sql<AuditedRow[]>`SELECT event, ip_address, details FROM audit_events WHERE details->>'gateway' = ${hostname} ORDER BY id`),
];
