// Serves one Core's Bidi call: checks the Core's version, announces ours, and keeps the call in the
// rotation of CoreLinks until the stream ends, however it ends.
import * as grpc from "@grpc/grpc-js";
import type { CoreRequest, CoreResponse__Output } from "../shared/proto.ts";
import type { Logger } from "../shared/logger.ts";
import { COMPONENT_VERSION, SYSTEM_HEADER, VERSION_HEADER, componentSystem } from "../shared/version.ts";
import type { CoreLinks } from "./core-links.ts";
import { coreVersionRefusal } from "./core-version.ts";
import { formatGrpcPeer } from "./net-address.ts";

type CoreCall = grpc.ServerDuplexStream<CoreResponse__Output, CoreRequest>;

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

/** The Bidi implementation served under both service paths. `log` is the `defguard_proxy` logger. */
export function createCoreStreamHandler(links: CoreLinks, log: Logger): grpc.handleBidiStreamingCall<CoreResponse__Output, CoreRequest> {
  return function handleCoreStream(call) {
    const peer = formatGrpcPeer(call.getPeer());
    call.sendMetadata(proxyMetadata());
    const version = firstText(call.metadata, VERSION_HEADER);
    const refusal = coreVersionRefusal(version);
    if (refusal !== null || version === undefined) {
      log.warn(`Refused RPC client ${peer}: ${refusal}`);
      endCall(call, grpc.status.FAILED_PRECONDITION, refusal ?? "missing version");
      return;
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
