// Serves one Core's Bidi call: checks the Core's shared secret (when one is set) and version, announces
// ours, and keeps the call in the rotation of CoreLinks until the stream ends, however it ends.
import * as grpc from "@grpc/grpc-js";
import type { CoreRequest, CoreResponse__Output } from "../shared/proto.ts";
import type { Logger } from "../shared/logger.ts";
import { createLogThrottle } from "../shared/log-throttle.ts";
import { SHARED_SECRET_HEADER, sharedSecretMatches } from "../shared/link-secret.ts";
import { COMPONENT_VERSION, SYSTEM_HEADER, VERSION_HEADER, componentSystem } from "../shared/version.ts";
import type { CoreLinks } from "./core-links.ts";
import { coreVersionRefusal } from "./core-version.ts";
import { formatGrpcPeer } from "./net-address.ts";

type CoreCall = grpc.ServerDuplexStream<CoreResponse__Output, CoreRequest>;

/** Refusals are logged this many per interval: a stranger redialling in a loop cannot flood the log. */
const REFUSAL_LOG_BURST = 20;
const REFUSAL_LOG_INTERVAL_MS = 10_000;

interface Refusal {
  code: grpc.status;
  /** What the caller is told. */
  details: string;
  /** What the log says after `Refused RPC client <peer>: `. */
  reason: string;
}

/** The Proxy's own version metadata, sent in the response headers of every call. */
function proxyMetadata(): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set(VERSION_HEADER, COMPONENT_VERSION);
  metadata.set(SYSTEM_HEADER, componentSystem());
  return metadata;
}

function firstText(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === "string" ? value : undefined;
}

/** Ends `call` with `code` and `details` as its gRPC status. */
function endCall(call: CoreCall, code: grpc.status, details: string): void {
  call.emit("error", { code, details, metadata: new grpc.Metadata() });
}

/** Why a call is refused for its shared secret; null when it presents the right one or none is required. */
function secretRefusal(metadata: grpc.Metadata, expected: string | undefined): Refusal | null {
  if (expected === undefined) return null;
  const presented = firstText(metadata, SHARED_SECRET_HEADER);
  if (presented === undefined) {
    return {
      code: grpc.status.UNAUTHENTICATED,
      details: "this proxy requires a shared secret (DEFGUARD_PROXY_SHARED_SECRET) and none was presented",
      reason: "it presented no shared secret (DEFGUARD_PROXY_SHARED_SECRET is set on this proxy)",
    };
  }
  if (sharedSecretMatches(presented, expected)) return null;
  return {
    code: grpc.status.UNAUTHENTICATED,
    details: "the shared secret presented does not match this proxy's DEFGUARD_PROXY_SHARED_SECRET",
    reason: "wrong shared secret (DEFGUARD_PROXY_SHARED_SECRET differs from this proxy's)",
  };
}

/**
 * The Bidi implementation served under both service paths. `log` is the `defguard_proxy` logger;
 * `sharedSecret`, when set, is required of every Core (checked before anything else is sent).
 */
export function createCoreStreamHandler(links: CoreLinks, log: Logger, sharedSecret?: string): grpc.handleBidiStreamingCall<CoreResponse__Output, CoreRequest> {
  const refusalLog = createLogThrottle(REFUSAL_LOG_BURST, REFUSAL_LOG_INTERVAL_MS);
  const refuse = (call: CoreCall, peer: string, refusal: Refusal) => {
    if (refusalLog.admit()) log.warn(`Refused RPC client ${peer}: ${refusal.reason}`, { unlogged_before: refusalLog.takeSuppressed() ?? undefined });
    endCall(call, refusal.code, refusal.details);
  };
  return function handleCoreStream(call) {
    const peer = formatGrpcPeer(call.getPeer());
    const unauthenticated = secretRefusal(call.metadata, sharedSecret);
    if (unauthenticated) return refuse(call, peer, unauthenticated);
    call.sendMetadata(proxyMetadata());
    const version = firstText(call.metadata, VERSION_HEADER);
    const refusal = coreVersionRefusal(version);
    if (refusal !== null || version === undefined) {
      return refuse(call, peer, { code: grpc.status.FAILED_PRECONDITION, details: refusal ?? "missing version", reason: refusal ?? "missing version" });
    }
    log.info(`RPC client connected from: ${peer}`);
    log.debug("Core component", { peer, version, system: firstText(call.metadata, SYSTEM_HEADER) });
    const link = links.attach({
      peer,
      version,
      write: (request) => {
        if (call.cancelled || call.writableEnded || call.destroyed) throw new Error("the Core's stream is closed");
        call.write(request);
      },
      close: (reason) => endCall(call, grpc.status.UNAVAILABLE, reason),
    });
    let open = true;
    const disconnected = (reason: string) => {
      if (!open) return;
      open = false;
      link.detach(reason);
      log.info(`RPC client disconnected: ${peer} (${reason})`);
    };
    call.on("data", (response: CoreResponse__Output) => link.receive(response));
    call.on("end", () => {
      disconnected("stream ended by the Core");
      if (!call.writableEnded) call.end();
    });
    call.on("cancelled", () => disconnected("stream cancelled"));
    // Also fired by endCall() with a status object, whose text is in `details`.
    call.on("error", (err: { details?: string; message?: string }) => disconnected(err.details ?? `stream error: ${err.message}`));
    call.on("close", () => disconnected("stream closed"));
  };
}
