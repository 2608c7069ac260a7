// The Core's link to one Proxy: dials it, keeps one bidirectional call open, answers every request
// the Proxy forwards (concurrently, each with its id), and redials with backoff whenever the call ends.
import { EventEmitter } from "node:events";
import type { ClientDuplexStream, Metadata, StatusObject } from "@grpc/grpc-js";
import { ProxyClientConstructor, type CoreRequest__Output, type CoreResponse, type ProxyClient } from "../shared/proto.ts";
import type { Logger } from "../shared/logger.ts";
import { GrpcStatus } from "../shared/errors.ts";
import { Backoff } from "../shared/backoff.ts";
import { type HandlerMap, dispatch } from "./dispatcher.ts";
import type { LinkTarget } from "./link-credentials.ts";
import { describeLinkFailure, nonGrpcContentType } from "./link-failure.ts";
import { coreVersionMetadata, readProxyVersion } from "./proxy-version.ts";
import { SHARED_SECRET_HEADER } from "../shared/link-secret.ts";

/** HTTP/2 ping interval, so that a half-open connection is noticed and redialled. */
export const KEEPALIVE_TIME_MS = 10_000;
/** A ping unanswered for this long closes the connection. */
export const KEEPALIVE_TIMEOUT_MS = 5_000;
/** A dial that has not reached the proxy's response headers by then is abandoned and retried. */
export const DIAL_TIMEOUT_MS = 10_000;
/**
 * Until the proxy's response headers arrive, an empty CoreResponse is sent this often: nginx (grpc_pass
 * behind TLS) holds those headers in its buffer until the next frame it forwards from the Core. The
 * Proxy, ours and Defguard's, discards a response without payload.
 */
export const HEADER_NUDGE_INTERVAL_MS = 1_000;
/** On stop(), requests in flight get this long to be answered before the call is closed anyway. */
export const DRAIN_TIMEOUT_MS = 5_000;
/** After ending its side of the call on stop(), the Core waits this long for the proxy to end its own. */
export const CLOSE_GRACE_MS = 1_000;

export type LinkState = "connecting" | "connected" | "disconnected";

export interface ConnectedInfo {
  url: string;
  proxyVersion?: string;
  proxySystem?: string;
}

export interface ProxyLinkEvents {
  connected: [ConnectedInfo];
  /** The reason in an admin's words. Emitted only after a `connected`. */
  disconnected: [reason: string];
  state: [LinkState];
}

export interface ProxyLinkOptions {
  /** The URL as the admin wrote it, for logs. */
  url: URL;
  link: LinkTarget;
  handlers: HandlerMap;
  /** Target `defguard::grpc`: connection lines. */
  log: Logger;
  /** Passed to handlers as their context's logger; `log` when absent. */
  handlerLog?: Logger;
  random?: () => number;
  keepaliveTimeMs?: number;
  keepaliveTimeoutMs?: number;
  dialTimeoutMs?: number;
  drainTimeoutMs?: number;
  headerNudgeIntervalMs?: number;
}

/** The empty answer of HEADER_NUDGE_INTERVAL_MS: no payload, an id no request has. */
const HEADER_NUDGE: CoreResponse = { id: 0 };

type LinkCall = ClientDuplexStream<CoreResponse, CoreRequest__Output>;

export class ProxyLink extends EventEmitter<ProxyLinkEvents> {
  /** What the admin reads in logs: scheme and host:port. */
  readonly label: string;
  /** The current state; see `state`. */
  private current: LinkState = "disconnected";
  /** The channel of the current attempt; a fresh one per attempt so our backoff, not grpc-js's, rules. */
  private client: ProxyClient | undefined;
  /** The open call of the current attempt, undefined between attempts. */
  private call: LinkCall | undefined;
  /** When the current call got the proxy's headers; 0 while not connected. */
  private connectedAt = 0;
  /** Pending redial or dial-timeout timer; owned here, cleared on stop. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Sends HEADER_NUDGE while the current attempt waits for the proxy's headers; cleared with the call. */
  private nudge: ReturnType<typeof setInterval> | undefined;
  /** The content type of the current attempt's headers when they were not gRPC (a reverse proxy's page). */
  private nonGrpcAnswer: string | undefined;
  /** Requests being handled; stop() waits for them. */
  private readonly inFlight = new Set<Promise<void>>();
  private readonly backoff: Backoff;
  private started = false;
  private stopping = false;

  constructor(private readonly options: ProxyLinkOptions) {
    super();
    this.label = `${options.url.protocol}//${options.link.target}`;
    this.backoff = new Backoff(options.random);
  }

  get state(): LinkState {
    return this.current;
  }

  /** Requests received and not yet answered. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Starts dialling; the link then keeps itself up until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.dial();
  }

  /**
   * Stops the link: requests arriving from now on are refused with UNAVAILABLE, those in flight get
   * up to `drainTimeoutMs` to be answered, then the call and the channel are closed.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.inFlight.size > 0) {
      let drainTimer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        drainTimer = setTimeout(resolve, this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
      });
      await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
      clearTimeout(drainTimer);
    }
    const wasConnected = this.current === "connected";
    await this.halfClose();
    this.closeCall();
    this.setState("disconnected");
    if (wasConnected) {
      this.options.log.info(`Disconnected from proxy at ${this.label}: the core is shutting down`);
      this.emit("disconnected", "the core is shutting down");
    }
  }

  private setState(state: LinkState): void {
    if (this.current === state) return;
    this.current = state;
    this.emit("state", state);
  }

  private dial(): void {
    const { link, log } = this.options;
    this.setState("connecting");
    log.info(`Connecting to proxy at ${this.label}`);
    const client = new ProxyClientConstructor(link.target, link.credentials, {
      "grpc.keepalive_time_ms": this.options.keepaliveTimeMs ?? KEEPALIVE_TIME_MS,
      "grpc.keepalive_timeout_ms": this.options.keepaliveTimeoutMs ?? KEEPALIVE_TIMEOUT_MS,
      "grpc.keepalive_permit_without_calls": 1,
      // A shared subchannel could still be in grpc-js's own reconnect backoff from the last attempt.
      "grpc.use_local_subchannel_pool": 1,
    });
    const metadata = coreVersionMetadata();
    if (link.sharedSecret !== undefined) metadata.set(SHARED_SECRET_HEADER, link.sharedSecret);
    const call = client.Bidi(metadata);
    this.client = client;
    this.call = call;
    call.on("metadata", (metadata) => this.onHeaders(call, metadata));
    call.on("data", (request: CoreRequest__Output) => this.onRequest(call, request));
    call.on("status", (status) => this.onCallEnded(call, status));
    call.on("error", () => {}); // the same outcome arrives as "status"; an unheard "error" would throw
    this.nudge = setInterval(() => {
      if (this.call === call) call.write(HEADER_NUDGE);
    }, this.options.headerNudgeIntervalMs ?? HEADER_NUDGE_INTERVAL_MS);
    this.timer = setTimeout(() => {
      if (this.call === call && this.current !== "connected") {
        this.onCallEnded(call, { code: GrpcStatus.DEADLINE_EXCEEDED, details: "no answer from the proxy within the dial timeout" } as StatusObject);
      }
    }, this.options.dialTimeoutMs ?? DIAL_TIMEOUT_MS);
  }

  private onHeaders(call: LinkCall, metadata: Metadata): void {
    if (this.call !== call) return;
    const contentType = nonGrpcContentType(metadata);
    if (contentType !== null) {
      // A reverse proxy's own answer (502 while the Proxy is down): the status that follows says which.
      this.nonGrpcAnswer = contentType;
      return;
    }
    clearInterval(this.nudge);
    clearTimeout(this.timer);
    const peer = readProxyVersion(metadata);
    if (peer.refusal) {
      this.onCallEnded(call, { code: GrpcStatus.FAILED_PRECONDITION, details: "" } as StatusObject, `version refused: ${peer.refusal}`);
      return;
    }
    this.connectedAt = performance.now();
    this.setState("connected");
    this.options.log.info(`Connected to proxy at ${this.label}`, {
      proxy_version: peer.version ?? "unknown (sent none)",
      proxy_system: peer.system,
    });
    this.emit("connected", { url: this.label, proxyVersion: peer.version, proxySystem: peer.system });
  }

  private onRequest(call: LinkCall, request: CoreRequest__Output): void {
    if (this.stopping) {
      const refusal: CoreResponse = { id: request.id, core_error: { status_code: GrpcStatus.UNAVAILABLE, message: "core is shutting down" } };
      if (this.call === call) call.write(refusal);
      return;
    }
    const log = this.options.handlerLog ?? this.options.log;
    const work = dispatch(request, this.options.handlers, log).then((response) => {
      // An answer for a call that has ended has nowhere to go: the proxy already failed that request.
      if (this.call === call) call.write(response);
      else this.options.log.debug("answer dropped: the call it belonged to has ended", { id: request.id });
    });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Ends an attempt (failed dial, lost call, refused version) and schedules the next one. */
  private onCallEnded(call: LinkCall, status: StatusObject, reason?: string): void {
    if (this.call !== call) return;
    const wasConnected = this.current === "connected";
    const lived = wasConnected ? performance.now() - this.connectedAt : 0;
    const context = { ...this.options.link, presentsSecret: this.options.link.sharedSecret !== undefined, nonGrpcContentType: this.nonGrpcAnswer };
    const cause = reason ?? describeLinkFailure(status.code, status.details, context);
    this.options.log.debug("link call ended", { code: status.code, details: status.details });
    this.closeCall();
    if (this.stopping) return;
    if (wasConnected) this.backoff.connectionEnded(lived);
    const delay = this.backoff.nextDelayMs();
    this.setState("disconnected");
    if (wasConnected) {
      this.options.log.warn(`Disconnected from proxy at ${this.label}: ${cause}; reconnecting in ${delay} ms`);
      this.emit("disconnected", cause);
    } else {
      this.options.log.warn(`Cannot connect to proxy at ${this.label}: ${cause}; retrying in ${delay} ms`);
    }
    this.timer = setTimeout(() => this.dial(), delay);
  }

  /** Ends our side of the call so written answers flush, and waits briefly for the proxy to end its side. */
  private async halfClose(): Promise<void> {
    const call = this.call;
    if (!call || this.current !== "connected") return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      call.once("status", () => resolve());
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
      call.end();
    });
    clearTimeout(timer);
  }

  /** Closes the current call and its channel; later events of that call are ignored. */
  private closeCall(): void {
    clearTimeout(this.timer);
    clearInterval(this.nudge);
    this.nonGrpcAnswer = undefined;
    const { call, client } = this;
    this.call = undefined;
    this.client = undefined;
    this.connectedAt = 0;
    if (call) {
      call.end();
      call.cancel();
    }
    client?.close();
  }
}
