// Who is calling: every gateway call carries its token, host name and version as metadata (GATEWAY.md,
// "Authentication and metadata"). Refusals use Defguard's statuses and messages; the token is never logged.
import type * as grpc from "@grpc/grpc-js";
import { AppError, GrpcStatus, failedPrecondition, unauthenticated } from "../../shared/errors.ts";
import { GATEWAY_AUTHORIZATION_HEADER, GATEWAY_HOSTNAME_HEADER, MIN_GATEWAY_VERSION } from "../../shared/gateway-proto.ts";
import type { Logger } from "../../shared/logger.ts";
import { SYSTEM_HEADER, VERSION_HEADER, compareVersions, isSemver } from "../../shared/version.ts";
import type { GatewayTokens } from "./gateway-tokens.ts";

export const GATEWAY_AUTH_MESSAGES = {
  missingAuthorization: "Missing authorization header",
  invalidToken: "Invalid token",
  missingHostname: "Gateway hostname not found in request metadata",
  missingVersion: "Missing version headers",
  unsupportedVersion: (version: string) => `Version ${version} not supported`,
} as const;

/** A gateway whose call was let in. */
export interface GatewayIdentity {
  networkId: number;
  hostname: string;
  version: string;
  system?: string;
  /** The peer address of its connection, `ip:port`. */
  address: string;
}

function firstString(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Host names go to logs and the database: printable, bounded. */
function cleanHostname(value: string | undefined): string | undefined {
  const cleaned = value?.replace(/[^\x21-\x7e]/g, "").slice(0, 255);
  return cleaned ? cleaned : undefined;
}

/**
 * Checks a call's metadata: the token (UNAUTHENTICATED "Missing authorization header" / "Invalid token"),
 * the host name (INVALID_ARGUMENT), then the version (FAILED_PRECONDITION for none or one older than
 * MIN_GATEWAY_VERSION). Each refusal is logged with the host name the gateway gave.
 */
export async function authenticateGateway(
  call: { metadata: grpc.Metadata; getPeer(): string },
  tokens: GatewayTokens,
  log: Logger,
): Promise<GatewayIdentity> {
  const { metadata } = call;
  const hostname = cleanHostname(firstString(metadata, GATEWAY_HOSTNAME_HEADER));
  const from = `gateway ${hostname ?? "UNKNOWN"} (${call.getPeer()})`;
  const token = firstString(metadata, GATEWAY_AUTHORIZATION_HEADER);
  if (token === undefined) {
    log.warn(`Refused a gRPC call from ${from}: no authorization header`);
    throw unauthenticated(GATEWAY_AUTH_MESSAGES.missingAuthorization);
  }
  const networkId = await tokens.verify(token);
  if (networkId === null) {
    log.warn(`Refused a gRPC call from ${from}: its token is not valid (wrong secret, expired or not a gateway token). If you recognize this host, give it a new token from GET /api/v1/network/{id}/token`);
    throw unauthenticated(GATEWAY_AUTH_MESSAGES.invalidToken);
  }
  if (hostname === undefined) {
    log.warn(`Refused a gRPC call from ${from} for network ${networkId}: no hostname metadata`);
    throw new AppError(GrpcStatus.INVALID_ARGUMENT, GATEWAY_AUTH_MESSAGES.missingHostname);
  }
  const version = firstString(metadata, VERSION_HEADER);
  if (version === undefined || !isSemver(version)) {
    log.error(`Refused ${from} for network ${networkId}: it sent no version, so it is older than the oldest supported, ${MIN_GATEWAY_VERSION}`);
    throw failedPrecondition(GATEWAY_AUTH_MESSAGES.missingVersion);
  }
  if (compareVersions(version, MIN_GATEWAY_VERSION) < 0) {
    log.error(`Refused ${from} for network ${networkId}: gateway version ${version} is older than the oldest supported, ${MIN_GATEWAY_VERSION}`);
    throw failedPrecondition(GATEWAY_AUTH_MESSAGES.unsupportedVersion(version));
  }
  return { networkId, hostname, version, system: firstString(metadata, SYSTEM_HEADER), address: call.getPeer() };
}
