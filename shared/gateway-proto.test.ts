// The gateway wire contract: every vector encoded with Defguard 1.6's own gateway.proto (see
// scripts/gen-gateway-vectors.ts) decodes with OUR proto to its JSON and encodes back to the same bytes.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { GATEWAY_VECTOR_SAMPLES, VECTOR_JSON_OPTIONS } from "../scripts/gateway-vector-samples.ts";
import { GATEWAY_PROTO_DIR, GATEWAY_PROTO_FILE, gatewayCodec, gatewayService } from "./gateway-proto.ts";

interface Vector {
  message: string;
  sample: string;
  hex: string;
  decoded: Record<string, unknown>;
}

const VECTORS_PATH = fileURLToPath(new URL("../test/fixtures/gateway-wire-vectors.json", import.meta.url));
const vectors: Vector[] = JSON.parse(readFileSync(VECTORS_PATH, "utf8"));

// Our schema through protobufjs directly, to reach the messages no call carries on its own (Peer, firewall).
const ours = new protobuf.Root();
// Imports resolve from proto/, as protoc's include path would; google/protobuf/* are protobufjs's own.
ours.resolvePath = (_origin, target) => (target.startsWith("google/") ? target : join(GATEWAY_PROTO_DIR, target));
ours.loadSync(GATEWAY_PROTO_FILE, { keepCase: true });
ours.resolveAll();

// The same schema as the gRPC server and client use it (proto-loader, shared/gateway-proto.ts).
const callCodecs: Record<string, { decode: (b: Buffer) => unknown; encode: (v: any) => Buffer }> = {
  "gateway.ConfigurationRequest": { decode: gatewayCodec.decodeConfigurationRequest, encode: gatewayCodec.encodeConfigurationRequest },
  "gateway.Configuration": { decode: gatewayCodec.decodeConfiguration, encode: gatewayCodec.encodeConfiguration },
  "gateway.Update": { decode: gatewayCodec.decodeUpdate, encode: gatewayCodec.encodeUpdate },
  "gateway.StatsUpdate": { decode: gatewayCodec.decodeStatsUpdate, encode: gatewayCodec.encodeStatsUpdate },
};

describe("gateway wire vectors", () => {
  test("the fixture has a vector for every sample and every message of both proto files", () => {
    expect(vectors.map((v) => `${v.message} ${v.sample}`)).toEqual(GATEWAY_VECTOR_SAMPLES.map((s) => `${s.message} ${s.sample}`));
    const declared = [ours.lookup("gateway"), ours.lookup("enterprise.firewall")].flatMap((ns) =>
      (ns as protobuf.Namespace).nestedArray.filter((n) => n instanceof protobuf.Type).map((n) => n.fullName.slice(1)),
    );
    expect(declared.length).toBe(13);
    for (const name of declared) expect(vectors.some((v) => v.message === name)).toBe(true);
  });

  for (const v of vectors) {
    test(`${v.message} ${v.sample}: our proto decodes Defguard's bytes to the vector and encodes them back`, () => {
      const type = ours.lookupType(v.message);
      const bytes = Buffer.from(v.hex, "hex");
      expect(type.toObject(type.decode(bytes), VECTOR_JSON_OPTIONS)).toEqual(v.decoded);
      expect(Buffer.from(type.encode(type.fromObject(v.decoded)).finish()).toString("hex")).toBe(v.hex);
    });

    const call = callCodecs[v.message];
    if (call) {
      test(`${v.message} ${v.sample}: the gRPC codec reads the same values and writes the same bytes`, () => {
        const bytes = Buffer.from(v.hex, "hex");
        const type = ours.lookupType(v.message);
        const asLoaded = { longs: Number, enums: Number, defaults: true, oneofs: true };
        expect(JSON.stringify(call.decode(bytes))).toBe(JSON.stringify(type.toObject(type.decode(bytes), asLoaded)));
        expect(call.encode(v.decoded).toString("hex")).toBe(v.hex);
      });
    }
  }
});

describe("service", () => {
  test("serves Defguard's paths with their streaming shapes", () => {
    expect(gatewayService.Config.path).toBe("/gateway.GatewayService/Config");
    expect(gatewayService.Updates.path).toBe("/gateway.GatewayService/Updates");
    expect(gatewayService.Stats.path).toBe("/gateway.GatewayService/Stats");
    expect([gatewayService.Config.requestStream, gatewayService.Config.responseStream]).toEqual([false, false]);
    expect([gatewayService.Updates.requestStream, gatewayService.Updates.responseStream]).toEqual([false, true]);
    expect([gatewayService.Stats.requestStream, gatewayService.Stats.responseStream]).toEqual([true, false]);
  });
});
