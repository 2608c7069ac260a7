// The version metadata of the link (WIRE.md): what the Core sends on its call, and whether it accepts
// the version the Proxy sends back in its response headers.
import { Metadata } from "@grpc/grpc-js";
import {
  COMPONENT_VERSION,
  MIN_PEER_VERSION,
  SYSTEM_HEADER,
  VERSION_HEADER,
  compareVersions,
  componentSystem,
  isSemver,
} from "../shared/version.ts";

/** The metadata the Core sends when it opens the call. */
export function coreVersionMetadata(): Metadata {
  const metadata = new Metadata();
  metadata.set(VERSION_HEADER, COMPONENT_VERSION);
  metadata.set(SYSTEM_HEADER, componentSystem());
  return metadata;
}

export interface ProxyVersion {
  /** The proxy's semver, or undefined when it sent none (proxies before 1.5). */
  version?: string;
  system?: string;
  /** Set when the Core refuses this proxy: the reason, for the log. */
  refusal?: string;
}

function firstString(metadata: Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads the proxy's version from its response headers; a semver older than MIN_PEER_VERSION is refused. */
export function readProxyVersion(metadata: Metadata): ProxyVersion {
  const version = firstString(metadata, VERSION_HEADER);
  const system = firstString(metadata, SYSTEM_HEADER);
  if (version && isSemver(version) && compareVersions(version, MIN_PEER_VERSION) < 0) {
    return { version, system, refusal: `proxy version ${version} is older than the oldest supported, ${MIN_PEER_VERSION}` };
  }
  return { version, system };
}
