// The Core's stamp on the gateways connected to it: every heartbeat one UPDATE renews the rows of all its
// open Updates streams, so that a Core that dies (SIGKILL, a lost host) leaves rows that run out instead of
// rows that say "connected" forever. A stream whose row another Core closed meanwhile (this one had not
// stamped it in time) is ended: its gateway reconnects and is recorded anew.
import type { Logger } from "../../shared/logger.ts";
import type { Queryable } from "../store/queryable.ts";
import { stampGatewaysAlive } from "./gateway-records.ts";

/** How often a Core stamps its gateways by default (DEFGUARD_GATEWAY_HEARTBEAT_INTERVAL). */
export const GATEWAY_HEARTBEAT_INTERVAL_S = 20;
/** A row not stamped for this many heartbeats counts as disconnected: one late round is no death. */
export const STALE_AFTER_HEARTBEATS = 3;

/** How long a stamp holds for a Core stamping every `heartbeatS` seconds. */
export const aliveSeconds = (heartbeatS: number) => heartbeatS * STALE_AFTER_HEARTBEATS;

export interface GatewayHeartbeatDeps {
  sql: Queryable;
  heartbeatS: number;
  /** The connection ids of this Core's open streams now. */
  connectionIds: () => string[];
  /** Told the connections whose row was closed by a sweep while their stream stayed open. */
  onClosedElsewhere: (connectionIds: string[]) => void;
  log: Logger;
}

export interface GatewayHeartbeat {
  /** Stops the timer and waits for a round in progress. */
  stop(): Promise<void>;
}

/** Starts the timer; the first stamp goes after one interval (connecting stamped the row already). */
export function startGatewayHeartbeat(deps: GatewayHeartbeatDeps): GatewayHeartbeat {
  const { log } = deps;
  /** The round in progress, if any. */
  let running: Promise<void> | undefined;
  const round = async () => {
    const closed = await stampGatewaysAlive(deps.sql, deps.connectionIds(), aliveSeconds(deps.heartbeatS));
    if (closed.length > 0) deps.onClosedElsewhere(closed);
  };
  const tick = () => {
    running ??= round()
      .catch((err: unknown) => log.error(`Cannot stamp the connected gateways alive: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, deps.heartbeatS * 1000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
