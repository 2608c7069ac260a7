// The Cores connected to this Proxy and the one way HTTP routes reach them: send() writes a request to
// the next live Core (round-robin) and resolves with its answer. No sockets here: a link is anything
// that can write a CoreRequest and be closed, so the gRPC stream plugs in and tests can too.
import type { CoreRequest, CoreResponse__Output } from "../shared/proto.ts";
import { type AppError, deadlineExceeded, unavailable } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import { createLogThrottle } from "../shared/log-throttle.ts";
import { PendingRequests } from "./pending-requests.ts";
import { RoundRobin } from "./round-robin.ts";

/** A request without its id (the links assign it), e.g. `{ device_info, enrollment_start: { token } }`. */
export type RequestBody = Omit<CoreRequest, "id" | "payload">;

/** Answers for unknown ids are logged this many per interval; a Core flooding them cannot flood the log. */
const DROPPED_LOG_BURST = 20;
const DROPPED_LOG_INTERVAL_MS = 10_000;

export const NOT_CONNECTED_MESSAGE = "Not connected to Defguard Core";
export const DISCONNECTED_MESSAGE = "Defguard Core disconnected before answering";
export const TIMEOUT_MESSAGE = "Defguard Core did not answer in time";

/** The transport of one Core: the gRPC call, or anything else that carries CoreRequests. */
export interface CoreLinkTransport {
  /** `ip:port` of the Core, for logs. */
  peer: string;
  /** The Core's `defguard-component-version`. */
  version: string;
  /** Writes one request; throwing means the link is unusable. */
  write(request: CoreRequest): void;
  /** Ends the stream (shutdown); the transport then calls detach(). */
  close(reason: string): void;
}

/** What attach() hands back to the transport: feed it the Core's answers, tell it when the stream ends. */
export interface CoreLink {
  readonly id: number;
  receive(response: CoreResponse__Output): void;
  /** Idempotent: fails every request pending on this link with 503 at once. */
  detach(reason: string): void;
}

/** The part of CoreLinks the HTTP side needs. */
export interface CoreGateway {
  send(body: RequestBody): Promise<CoreResponse__Output>;
  readonly connectedCount: number;
  readonly coreVersion: string | undefined;
}

interface LiveLink {
  id: number;
  transport: CoreLinkTransport;
}

export class CoreLinks implements CoreGateway {
  /** Requests in flight on any link. */
  private readonly pending: PendingRequests<CoreResponse__Output>;
  /** Links whose stream is open, in rotation order. */
  private readonly live = new RoundRobin<LiveLink>();
  /** The id the next attached link takes. */
  private nextLinkId = 1;
  /** Limits the "Dropping an answer" warnings (a flood of unknown ids). */
  private readonly droppedLog = createLogThrottle(DROPPED_LOG_BURST, DROPPED_LOG_INTERVAL_MS);
  /** The version of the most recently connected Core; kept after it leaves (WIRE.md headers). */
  private lastVersion: string | undefined;

  constructor(private readonly options: { timeoutMs: number; log: Logger }) {
    this.pending = new PendingRequests(options.timeoutMs, () => deadlineExceeded(TIMEOUT_MESSAGE));
  }

  /** Adds a Core to the rotation. */
  attach(transport: CoreLinkTransport): CoreLink {
    const link: LiveLink = { id: this.nextLinkId++, transport };
    this.live.add(link);
    this.lastVersion = transport.version;
    let attached = true;
    return {
      id: link.id,
      receive: (response) => this.receive(link, response),
      detach: (reason) => {
        if (!attached) return;
        attached = false;
        this.live.remove(link);
        const failed = this.pending.failOwner(link.id, unavailable(DISCONNECTED_MESSAGE));
        if (failed > 0) this.options.log.warn(`Failed ${failed} pending request(s) of a disconnected Core`, { peer: transport.peer, reason });
      },
    };
  }

  /**
   * Sends `body` to the next live Core and resolves with its answer (which may carry core_error).
   * Rejects with AppError UNAVAILABLE (503) at once when no Core is connected or the Core leaves before
   * answering, and DEADLINE_EXCEEDED (504) after the configured timeout.
   */
  send(body: RequestBody): Promise<CoreResponse__Output> {
    const link = this.live.next();
    if (!link) return Promise.reject(unavailable(NOT_CONNECTED_MESSAGE));
    const { id, answer } = this.pending.open(link.id);
    try {
      link.transport.write({ ...body, id });
    } catch (err) {
      this.options.log.warn("Writing to a Core failed", { peer: link.transport.peer, error: String(err) });
      this.pending.fail(id, unavailable(NOT_CONNECTED_MESSAGE));
    }
    return answer;
  }

  /** Shutdown: fails everything in flight with `error` and closes every Core stream. */
  closeAll(error: AppError, reason: string): void {
    this.pending.failAll(error);
    for (const link of this.live.all()) link.transport.close(reason);
  }

  get connectedCount(): number {
    return this.live.size;
  }

  get coreVersion(): string | undefined {
    return this.lastVersion;
  }

  /** Core connections accepted since start (metrics: reconnects); link ids count them. */
  get connectionsTotal(): number {
    return this.nextLinkId - 1;
  }

  /** Requests in flight (tests check it returns to 0). */
  get pendingCount(): number {
    return this.pending.size;
  }

  private receive(link: LiveLink, response: CoreResponse__Output): void {
    // A response without payload answers nothing: a Core sends such empty ones to push its stream
    // through a reverse proxy that holds our headers back (core/proxy-link.ts). Defguard discards them too.
    if (response.payload === undefined) return;
    const id = Number(response.id);
    if (!this.pending.settle(id, link.id, response) && this.droppedLog.admit()) {
      const unlogged = this.droppedLog.takeSuppressed() ?? undefined;
      this.options.log.warn("Dropping an answer for an unknown or expired request id", { id, peer: link.transport.peer, unlogged_before: unlogged });
    }
  }
}
