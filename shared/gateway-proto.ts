// Loads proto/gateway.proto (Defguard 1.6's `gateway` package and the firewall messages it imports) once,
// for both sides: the Core serves gateway.GatewayService, the gateway agent dials it.
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../proto/generated/gateway.ts";
import type {
  GatewayServiceClient,
  GatewayServiceDefinition,
  GatewayServiceHandlers,
} from "../proto/generated/gateway/GatewayService.ts";

export type { Configuration, Configuration__Output } from "../proto/generated/gateway/Configuration.ts";
export type { ConfigurationRequest, ConfigurationRequest__Output } from "../proto/generated/gateway/ConfigurationRequest.ts";
export type { Peer, Peer__Output } from "../proto/generated/gateway/Peer.ts";
export type { PeerStats, PeerStats__Output } from "../proto/generated/gateway/PeerStats.ts";
export type { StatsUpdate, StatsUpdate__Output } from "../proto/generated/gateway/StatsUpdate.ts";
export type { Update, Update__Output } from "../proto/generated/gateway/Update.ts";
export type { FirewallConfig, FirewallConfig__Output } from "../proto/generated/enterprise/firewall/FirewallConfig.ts";
export type { Empty, Empty__Output } from "../proto/generated/google/protobuf/Empty.ts";
export { UpdateType } from "../proto/generated/gateway/UpdateType.ts";
export type { GatewayServiceClient, GatewayServiceDefinition, GatewayServiceHandlers };

/** The folder imports are resolved from (`enterprise/firewall/firewall.proto`). */
export const GATEWAY_PROTO_DIR = fileURLToPath(new URL("../proto/", import.meta.url));
export const GATEWAY_PROTO_FILE = "gateway.proto";

/** Must match the flags in scripts/gen-proto-types.ts so the generated types describe these objects. */
export const GATEWAY_PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: Number,
  oneofs: true,
  defaults: true,
  includeDirs: [GATEWAY_PROTO_DIR],
};

/** Metadata every gateway call carries (GATEWAY.md, "Authentication and metadata"). */
export const GATEWAY_AUTHORIZATION_HEADER = "authorization";
export const GATEWAY_HOSTNAME_HEADER = "hostname";

/** The oldest gateway version the Core accepts, as Defguard 1.6 does. */
export const MIN_GATEWAY_VERSION = "1.5.0";

const packageDefinition = protoLoader.loadSync(GATEWAY_PROTO_FILE, GATEWAY_PROTO_LOADER_OPTIONS);
const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;

/** The client constructor, dialling `/gateway.GatewayService/{Config,Updates,Stats}`. */
export const GatewayServiceClientConstructor = loaded.gateway.GatewayService;

/** The service definition the Core's gateway server serves. */
export const gatewayService = GatewayServiceClientConstructor.service as GatewayServiceDefinition;

/** Encode/decode of the messages the calls carry, with the loader's options (tests, benches). */
export const gatewayCodec = {
  encodeConfigurationRequest: gatewayService.Config.requestSerialize,
  decodeConfigurationRequest: gatewayService.Config.requestDeserialize,
  encodeConfiguration: gatewayService.Config.responseSerialize,
  decodeConfiguration: gatewayService.Config.responseDeserialize,
  encodeUpdate: gatewayService.Updates.responseSerialize,
  decodeUpdate: gatewayService.Updates.responseDeserialize,
  encodeStatsUpdate: gatewayService.Stats.requestSerialize,
  decodeStatsUpdate: gatewayService.Stats.requestDeserialize,
};
