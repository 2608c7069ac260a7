// What the two gRPC servers (the Proxy's for Cores, the Core's for gateways) share: keepalive settings
// that let clients ping every ~10 s, and a shutdown that waits briefly for calls, then cuts connections.
import * as grpc from "@grpc/grpc-js";

/** Clients ping every ~10 s; accept pings this often, with or without calls, so none is GOAWAY'd. */
const MIN_PING_INTERVAL_MS = 5_000;
/** Our own pings find a half-open client connection and end its calls. */
const KEEPALIVE_TIME_MS = 15_000;
const KEEPALIVE_TIMEOUT_MS = 10_000;
/** How long shutdown waits for calls to finish before cutting connections. */
const SHUTDOWN_GRACE_MS = 1_000;

export const SERVER_OPTIONS: grpc.ServerOptions = {
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.http2.min_ping_interval_without_data_ms": MIN_PING_INTERVAL_MS,
  "grpc.http2.min_time_between_pings_ms": MIN_PING_INTERVAL_MS,
  "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
  "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
};

/** Stops accepting, waits up to SHUTDOWN_GRACE_MS for calls to end, then forces the connections closed. */
export function shutdownGrpcServer(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}
