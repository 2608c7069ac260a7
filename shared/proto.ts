// Loads proto/proxy.proto once and exposes the Proxy service under both paths Defguard uses:
// `/defguard.proxy.Proxy/Bidi` (1.x) and `/defguard.proxy.v1.Proxy/Bidi` (2.x).
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../proto/generated/proxy.ts";
import type { ProxyClient, ProxyDefinition } from "../proto/generated/defguard/proxy/Proxy.ts";

export type { CoreRequest, CoreRequest__Output } from "../proto/generated/defguard/proxy/CoreRequest.ts";
export type { CoreResponse, CoreResponse__Output } from "../proto/generated/defguard/proxy/CoreResponse.ts";
export type { ProxyClient, ProxyDefinition };

export const PROTO_PATH = fileURLToPath(new URL("../proto/proxy.proto", import.meta.url));

/** Must match the flags in scripts/gen-proto-types.ts so the generated types describe these objects. */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: Number,
  oneofs: true,
  defaults: true,
};

export const PACKAGE_NAME = "defguard.proxy";
export const V1_PACKAGE_NAME = "defguard.proxy.v1";

const packageDefinition = protoLoader.loadSync(PROTO_PATH, PROTO_LOADER_OPTIONS);
const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;

/** The client constructor, dialling `/defguard.proxy.Proxy/Bidi`. */
export const ProxyClientConstructor = loaded.defguard.proxy.Proxy;

/** The service definition at the 1.x path. */
export const proxyService = ProxyClientConstructor.service as ProxyDefinition;

/** The same service at the 2.x path (same messages, package `defguard.proxy.v1`). */
export const proxyServiceV1 = Object.fromEntries(
  Object.entries(proxyService).map(([name, method]) => [
    name,
    { ...method, path: method.path.replace(`/${PACKAGE_NAME}.`, `/${V1_PACKAGE_NAME}.`) },
  ]),
) as unknown as ProxyDefinition;

/** Encode/decode of the two stream messages, with the loader's options (used by tests and fuzzers). */
export const codec = {
  encodeCoreResponse: proxyService.Bidi.requestSerialize,
  decodeCoreResponse: proxyService.Bidi.requestDeserialize,
  encodeCoreRequest: proxyService.Bidi.responseSerialize,
  decodeCoreRequest: proxyService.Bidi.responseDeserialize,
};
