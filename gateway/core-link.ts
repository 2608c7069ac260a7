// The gateway's link to the Core: dials it, subscribes to Updates, fetches the whole Configuration, opens
// the Stats stream, and starts again with backoff whenever a call ends. Each session is one channel.
import { hostname } from "node:os";
import { type ChannelCredentials, Metadata, type ServiceError, credentials } from "@grpc/grpc-js";
import {
  type Configuration__Output,
  GATEWAY_AUTHORIZATION_HEADER,
  GATEWAY_HOSTNAME_HEADER,
  GatewayServiceClientConstructor,
  type GatewayServiceClient,
  type Update__Output,
} from "../shared/gateway-proto.ts";
import { Backoff } from "../shared/backoff.ts";
import type { Logger } from "../shared/logger.ts";
import { buildChannelCredentials } from "../shared/tls.ts";
import { COMPONENT_VERSION, SYSTEM_HEADER, VERSION_HEADER, componentSystem } from "../shared/version.ts";
import type { GatewayConfig } from "./config.ts";
import { describeCoreFailure } from "./link-failure.ts";
import { StatsSender } from "./stats-sender.ts";
import type { InterfaceSync } from "./interface-sync.ts";
import type { WireGuardInterface } from "./wireguard-interface.ts";

/** HTTP/2 keepalive pings, as Defguard's gateway sends them, so a dead Core is noticed. */
export const KEEPALIVE_TIME_MS = 10_000;
export const KEEPALIVE_TIMEOUT_MS = 5_000;
/** A Config call unanswered by then fails the attempt. */
export const CONFIG_TIMEOUT_MS = 10_000;

/** The channel credentials for the Core's URL: plaintext for http://, TLS (DEFGUARD_GRPC_CA or system roots) for https://. */
export function coreCredentials(config: Pick<GatewayConfig, "grpcUrl" | "caPath">): ChannelCredentials {
  if (config.grpcUrl.protocol === "http:") return credentials.createInsecure();
  return buildChannelCredentials({
    ca: { variable: "DEFGUARD_GRPC_CA", path: config.caPath },
    cert: { variable: "DEFGUARD_GRPC_CLIENT_CERT", path: undefined },
    key: { variable: "DEFGUARD_GRPC_CLIENT_KEY", path: undefined },
  });
}

/** What every call carries: the token, this host's name and the version pair (GATEWAY.md). */
export function gatewayMetadata(token: string, host = hostname()): Metadata {
  const metadata = new Metadata();
  metadata.set(GATEWAY_AUTHORIZATION_HEADER, token);
  metadata.set(GATEWAY_HOSTNAME_HEADER, host);
  metadata.set(VERSION_HEADER, COMPONENT_VERSION);
  metadata.set(SYSTEM_HEADER, componentSystem());
  return metadata;
}

export interface CoreLinkOptions {
  config: Readonly<GatewayConfig>;
  sync: InterfaceSync;
  wg: WireGuardInterface;
  log: Logger;
  /** Runs once after the first Configuration was applied (POST_UP). */
  onFirstConfiguration?: () => Promise<void>;
}

/** One attempt: its channel, its calls and its stats timer, all closed together when it ends. */
interface Session {
  client: GatewayServiceClient;
  stats: StatsSender;
  updates?: ReturnType<GatewayServiceClient["Updates"]>;
  /** When the Updates stream's headers arrived; 0 until then. */
  connectedAt: number;
  ended: boolean;
}

export class CoreLink {
  private readonly backoff = new Backoff();
  /** Ends the current session (cancels its calls, stops its stats timer); undefined between sessions. */
  private endSession: (() => void) | undefined;
  /** The pending redial; owned here, cleared on stop. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;
  /** True between "Connected" and the end of that session: what the health check reports. */
  private isConnected = false;
  private readonly url: string;

  constructor(private readonly options: CoreLinkOptions) {
    this.url = options.config.grpcUrl.origin;
  }

  start(): void {
    this.connect();
  }

  /** Connected to the Core now (Config applied, Updates open). */
  get connected(): boolean {
    return this.isConnected;
  }

  stop(): void {
    this.stopping = true;
    clearTimeout(this.timer);
    this.endSession?.();
  }

  /**
   * One attempt, as Defguard's gateway makes it: the whole Configuration first, then the Updates stream.
   * The Core keeps what Config answered as the stream's starting point, so a change in between is sent.
   */
  private connect(): void {
    const { config, log } = this.options;
    log.info(`Connecting to Defguard gRPC endpoint ${this.url}`);
    const target = `${config.grpcUrl.hostname}:${config.grpcUrl.port || (config.grpcUrl.protocol === "https:" ? "443" : "80")}`;
    const client = new GatewayServiceClientConstructor(target, coreCredentials(config), {
      "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
      "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
      "grpc.keepalive_permit_without_calls": 1,
      "grpc.use_local_subchannel_pool": 1,
    });
    const session: Session = { client, stats: new StatsSender(this.options.wg, config.statsPeriodSeconds * 1000, log), connectedAt: 0, ended: false };
    this.endSession = () => this.end(session, "the gateway is shutting down");
    client.Config({ name: config.name }, gatewayMetadata(config.token), { deadline: Date.now() + CONFIG_TIMEOUT_MS }, (err, configuration) => {
      if (session.ended) return;
      if (err || !configuration) return this.end(session, `configuration request failed: ${err ? this.describe(err) : "no answer"}`);
      void this.configure(configuration).then(
        () => this.openUpdates(session),
        (error: unknown) => this.end(session, `interface configuration failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  }

  /** Subscribes to Updates; once its headers arrive the gateway counts as connected and stats start. */
  private openUpdates(session: Session): void {
    if (session.ended) return;
    const { config, log, sync } = this.options;
    const stream = session.client.Updates({}, gatewayMetadata(config.token));
    session.updates = stream;
    stream.on("metadata", () => {
      if (session.ended || session.connectedAt) return;
      session.connectedAt = performance.now();
      this.isConnected = true;
      log.info(`Connected to Defguard gRPC endpoint ${this.url}`);
      session.stats.start(session.client, gatewayMetadata(config.token), (why) => this.end(session, why), (error) => this.describe(error));
    });
    stream.on("data", (update: Update__Output) => void sync.applyUpdate(update).catch(() => {}));
    stream.on("error", (error: ServiceError) => this.end(session, `updates stream failed: ${this.describe(error)}`));
    stream.on("end", () => this.end(session, "the Core ended the updates stream", false));
  }

  /** Closes `session` (once) and, unless stopping, schedules the next attempt after the backoff's delay. */
  private end(session: Session, why: string, error = true): void {
    if (session.ended) return;
    session.ended = true;
    this.isConnected = false;
    this.endSession = undefined;
    session.stats.stop();
    session.updates?.cancel();
    session.client.close();
    if (this.stopping) return;
    if (session.connectedAt) this.backoff.connectionEnded(performance.now() - session.connectedAt);
    const delay = this.backoff.nextDelayMs();
    const say = `${session.connectedAt ? "Disconnected from" : "Cannot connect to"} Defguard gRPC endpoint ${this.url}: ${why}; retrying in ${delay} ms`;
    if (error) this.options.log.error(say);
    else this.options.log.warn(say);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private describe(error: ServiceError): string {
    return describeCoreFailure(error.code, error.details || error.message, this.options.config.grpcUrl.protocol === "https:");
  }

  private async configure(configuration: Configuration__Output): Promise<void> {
    const first = !this.options.sync.configured;
    await this.options.sync.applyConfiguration(configuration);
    if (first) await this.options.onFirstConfiguration?.();
  }
}
