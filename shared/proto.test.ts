// The wire contract: every vector encoded with Defguard 1.6's own schema decodes to its JSON and back.
import { describe, expect, test } from "bun:test";
import { readFileSync, existsSync } from "node:fs";
import * as protoLoader from "@grpc/proto-loader";
import * as grpc from "@grpc/grpc-js";
import { PROTO_PATH, proxyService, proxyServiceV1 } from "./proto.ts";
import { fileURLToPath } from "node:url";

interface Vector {
  message: string;
  payload: string;
  hex: string;
  decoded: Record<string, unknown>;
}

// The vectors live outside the repo (../shared/wire-vectors.json); a copy is kept in test/fixtures so a
// fresh clone tests the same bytes.
const VECTORS_PATH = fileURLToPath(new URL("../test/fixtures/wire-vectors.json", import.meta.url));
const vectors: Vector[] = JSON.parse(readFileSync(VECTORS_PATH, "utf8"));

// The vectors' JSON form: 64-bit integers as decimal strings, enums by name (WIRE.md says numbers,
// the vectors themselves carry names; both encode the same bytes), unset fields absent.
const vectorDefinition = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: String, enums: String, defaults: false });
const vectorPkg = grpc.loadPackageDefinition(vectorDefinition) as any;
const bidi = vectorPkg.defguard.proxy.Proxy.service.Bidi;
const codecs: Record<string, { decode: (b: Buffer) => unknown; encode: (v: any) => Buffer }> = {
  "defguard.proxy.CoreRequest": { decode: bidi.responseDeserialize, encode: bidi.responseSerialize },
  "defguard.proxy.CoreResponse": { decode: bidi.requestDeserialize, encode: bidi.requestSerialize },
};

/** JSON round trip drops the oneof virtual field and Buffer-ness; keeps plain data only. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe("wire vectors", () => {
  test("the copy exists and covers every payload kind", () => {
    expect(existsSync(VECTORS_PATH)).toBe(true);
    expect(vectors.length).toBe(25);
  });

  for (const v of vectors) {
    test(`${v.message} ${v.payload}: decodes to the vector's JSON and encodes back`, () => {
      const codec = codecs[v.message]!;
      expect(codec).toBeDefined();
      const decoded = plain(codec.decode(Buffer.from(v.hex, "hex")));
      expect(decoded).toEqual(v.decoded);
      const reencoded = codec.encode(v.decoded);
      expect(plain(codec.decode(reencoded))).toEqual(v.decoded);
      // Fields are written in number order, as Defguard's encoder does: the bytes match exactly.
      expect(reencoded.toString("hex")).toBe(v.hex);
    });
  }
});

describe("service paths", () => {
  test("serves Bidi under both Defguard package names", () => {
    expect(proxyService.Bidi.path).toBe("/defguard.proxy.Proxy/Bidi");
    expect(proxyServiceV1.Bidi.path).toBe("/defguard.proxy.v1.Proxy/Bidi");
    expect(proxyService.Bidi.requestStream && proxyService.Bidi.responseStream).toBe(true);
  });
});
