// The Proxy's gRPC server: the port Cores dial. Serves Bidi at the 1.x and 2.x paths, over plaintext,
// TLS or mutual TLS as configured (a bad TLS setting is a startup error, never a silent fallback).
import * as grpc from "@grpc/grpc-js";
import { SERVER_OPTIONS, shutdownGrpcServer } from "../shared/grpc-server-lifecycle.ts";
import { proxyService, proxyServiceV1 } from "../shared/proto.ts";
import { buildServerCredentials } from "../shared/tls.ts";
import type { Logger } from "../shared/logger.ts";
import type { ProxyConfig } from "./config.ts";
import type { CoreLinks } from "./core-links.ts";
import { createCoreStreamHandler } from "./core-stream.ts";
import { hostPort } from "./net-address.ts";

// Keepalive: our pings find a half-open Core connection and free its requests (shared/grpc-server-lifecycle.ts).
export { SERVER_OPTIONS };

export interface GrpcServerHandle {
  /** `host:port` actually bound. */
  address: string;
  port: number;
  tls: boolean;
  mutualTls: boolean;
  /** Stops accepting, ends every call, then closes connections. */
  stop(): Promise<void>;
}

/** Credentials from the env-named PEM files; throws TlsConfigError naming the variable at fault. */
export function grpcCredentials(config: ProxyConfig) {
  return buildServerCredentials({
    cert: { variable: "DEFGUARD_PROXY_GRPC_CERT", path: config.grpc.certPath },
    key: { variable: "DEFGUARD_PROXY_GRPC_KEY", path: config.grpc.keyPath },
    clientCa: { variable: "DEFGUARD_PROXY_GRPC_CLIENT_CA", path: config.grpc.clientCaPath },
  });
}

function bind(server: grpc.Server, target: string, credentials: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(target, credentials, (err, port) => (err ? reject(err) : resolve(port)));
  });
}

/**
 * Starts the gRPC server on `config.grpc.host:port` (port 0 picks a free one).
 * Throws TlsConfigError for bad TLS settings, or the bind error.
 * @param log the `defguard_proxy::server` logger; connection lines go to `linkLog` (`defguard_proxy`)
 */
export async function startGrpcServer(config: ProxyConfig, links: CoreLinks, log: Logger, linkLog: Logger): Promise<GrpcServerHandle> {
  const { credentials, tls, mutualTls } = grpcCredentials(config);
  const server = new grpc.Server(SERVER_OPTIONS);
  const handler = createCoreStreamHandler(links, linkLog, config.grpc.sharedSecret);
  server.addService(proxyService, { Bidi: handler });
  server.addService(proxyServiceV1, { Bidi: handler });
  const port = await bind(server, hostPort(config.grpc.host, config.grpc.port), credentials);
  const address = hostPort(config.grpc.host, port);
  log.info(`gRPC server is listening on ${address}`);
  if (mutualTls) log.info("gRPC TLS is on, with mutual TLS: only Cores with a certificate from DEFGUARD_PROXY_GRPC_CLIENT_CA may connect");
  else if (tls) log.info("gRPC TLS is on; mutual TLS is off (set DEFGUARD_PROXY_GRPC_CLIENT_CA to require a Core certificate)");
  else log.warn("gRPC TLS is off: Core traffic, including users' passwords, crosses the network in plaintext (set DEFGUARD_PROXY_GRPC_CERT and DEFGUARD_PROXY_GRPC_KEY)");
  logWhoIsAccepted(log, address, mutualTls, config.grpc.sharedSecret !== undefined);
  return { address, port, tls, mutualTls, stop: () => shutdownGrpcServer(server) };
}

/** Says at startup which clients the gRPC port takes for a Core: a warning when it is anyone at all. */
function logWhoIsAccepted(log: Logger, address: string, mutualTls: boolean, sharedSecret: boolean): void {
  if (sharedSecret) log.info("Cores must present DEFGUARD_PROXY_SHARED_SECRET: a client without it, or with another, is refused");
  if (mutualTls || sharedSecret) return;
  log.warn(
    `Any client that reaches the gRPC port ${address} is accepted as a Core, and receives what users send (passwords, tokens) and may answer in the Core's place: turn on mutual TLS (DEFGUARD_PROXY_GRPC_CLIENT_CA) or set DEFGUARD_PROXY_SHARED_SECRET on this proxy and the core`,
  );
}
