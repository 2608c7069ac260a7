// The Core's second gRPC server, the one gateways dial: DEFGUARD_GRPC_BIND_ADDRESS:DEFGUARD_GRPC_PORT,
// plaintext or TLS (DEFGUARD_GRPC_CERT/_KEY: both or neither, a bad file stops startup naming it).
import * as grpc from "@grpc/grpc-js";
import { gatewayService } from "../../shared/gateway-proto.ts";
import type { Logger } from "../../shared/logger.ts";
import { buildServerCredentials } from "../../shared/tls.ts";
// Gateways ping every 10 s; our own pings find a half-open gateway connection, so it shows disconnected.
import { SERVER_OPTIONS, shutdownGrpcServer } from "../../shared/grpc-server-lifecycle.ts";
import type { GatewayServerConfig } from "../config.ts";
import type { GatewayServiceHandlers } from "../../shared/gateway-proto.ts";

export interface GatewayServerHandle {
  /** `host:port` actually bound. */
  address: string;
  port: number;
  tls: boolean;
  /** Stops accepting, ends every call (Updates streams see it), then closes connections. */
  stop(): Promise<void>;
}

/** Thrown when the gateway server cannot listen; names the variables to change. */
export class GatewayBindError extends Error {
  constructor(cause: unknown) {
    super(`cannot listen for gateways (DEFGUARD_GRPC_BIND_ADDRESS / DEFGUARD_GRPC_PORT): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "GatewayBindError";
  }
}

/** Server credentials from the env-named PEM files; throws TlsConfigError naming the variable at fault. */
export function gatewayServerCredentials(config: GatewayServerConfig) {
  return buildServerCredentials({
    cert: { variable: "DEFGUARD_GRPC_CERT", path: config.certPath },
    key: { variable: "DEFGUARD_GRPC_KEY", path: config.keyPath },
    clientCa: { variable: "DEFGUARD_GRPC_CLIENT_CA", path: undefined },
  });
}

const hostPort = (host: string, port: number) => (host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);

/** Listens on `config.host:port` (0: a free port). Throws TlsConfigError or GatewayBindError. */
export async function startGatewayServer(config: GatewayServerConfig, handlers: GatewayServiceHandlers, log: Logger): Promise<GatewayServerHandle> {
  const { credentials, tls } = gatewayServerCredentials(config);
  const server = new grpc.Server(SERVER_OPTIONS);
  server.addService(gatewayService, handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(hostPort(config.host, config.port), credentials, (err, bound) => (err ? reject(new GatewayBindError(err)) : resolve(bound)));
  });
  const address = hostPort(config.host, port);
  log.info(`Gateway gRPC server is listening on ${address}`);
  if (!tls) log.warn("Gateway gRPC TLS is off: networks' private keys and preshared keys cross the network in plaintext (set DEFGUARD_GRPC_CERT and DEFGUARD_GRPC_KEY)");
  return {
    address,
    port,
    tls,
    stop: () => shutdownGrpcServer(server),
  };
}
