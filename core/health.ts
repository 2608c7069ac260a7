// Whether this core can serve, as its health route answers it to load balancers and the compose health
// check: the database answers and, when proxies are configured, at least one link to a proxy is up.
import type postgres from "postgres";

/** A database that has not answered `SELECT 1` by then counts as down (a load balancer waits no longer). */
export const DATABASE_PROBE_TIMEOUT_MS = 2_000;

export interface ProxyLinkCounts {
  /** Links whose call to a proxy is open now. */
  connected: number;
  /** Proxies in DEFGUARD_PROXY_URL. */
  configured: number;
}

/** The body of GET /api/v1/health, 200 when `status` is ok, else 503. */
export interface CoreHealth {
  status: "ok" | "unavailable";
  database: "up" | "down";
  proxies: ProxyLinkCounts;
}

export type DatabaseProbe = { up: true } | { up: false; error: string };

export const NO_PROXY_LINKS: ProxyLinkCounts = Object.freeze({ connected: 0, configured: 0 });

/** Ok when the database is up and, if any proxy is configured, at least one link is connected. */
export function assessHealth(database: DatabaseProbe, proxies: ProxyLinkCounts): CoreHealth {
  const linked = proxies.configured === 0 || proxies.connected > 0;
  return { status: database.up && linked ? "ok" : "unavailable", database: database.up ? "up" : "down", proxies: { ...proxies } };
}

/** Asks the database `SELECT 1`; down when it fails or takes longer than `timeoutMs`. Never throws. */
export async function probeDatabase(sql: postgres.Sql, timeoutMs = DATABASE_PROBE_TIMEOUT_MS): Promise<DatabaseProbe> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<DatabaseProbe>((resolve) => {
    timer = setTimeout(() => resolve({ up: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const query = sql`SELECT 1`.then(
    (): DatabaseProbe => ({ up: true }),
    (err: unknown): DatabaseProbe => ({ up: false, error: err instanceof Error ? err.message : String(err) }),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
