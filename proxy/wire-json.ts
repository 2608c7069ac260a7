// Core answers as the HTTP JSON of WIRE.md, driven by the proto's reflection rather than by hand per
// message: proto field names, enums as numbers, 64-bit integers as JSON numbers, unset optional fields
// as null, repeated fields as arrays; the loader's virtual oneof fields (`payload`, `_dns`) left out.
import protobuf from "protobufjs";
import { PROTO_PATH } from "../shared/proto.ts";
import type { CoreResponse__Output } from "../shared/proto.ts";

export type ResponsePayloadKind = NonNullable<CoreResponse__Output["payload"]>;
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const root = new protobuf.Root().loadSync(PROTO_PATH, { keepCase: true });
root.resolveAll();
const coreResponseType = root.lookupType("defguard.proxy.CoreResponse");

function scalarToJson(value: unknown): JsonValue {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "object" && value !== null && "low" in value && "high" in value) {
    return Number(value.toString()); // a Long, should the loader ever be set to produce them
  }
  return value as JsonValue;
}

function elementToJson(field: protobuf.Field, value: unknown): JsonValue {
  if (field.resolvedType instanceof protobuf.Type) return messageToJson(field.resolvedType, value);
  return scalarToJson(value);
}

function fieldToJson(field: protobuf.Field, value: unknown): JsonValue {
  if (field.repeated) return Array.isArray(value) ? value.map((v) => elementToJson(field, v)) : [];
  if (field.map) {
    const entries = Object.entries((value ?? {}) as Record<string, unknown>);
    return Object.fromEntries(entries.map(([k, v]) => [k, elementToJson(field, v)]));
  }
  if (value === undefined || value === null) return null;
  return elementToJson(field, value);
}

/** `value` (a decoded message of `type`) as JSON; a missing message gives every field its JSON null/[]. */
export function messageToJson(type: protobuf.Type, value: unknown): JsonObject {
  const source = (value ?? {}) as Record<string, unknown>;
  const out: JsonObject = {};
  for (const field of type.fieldsArray) out[field.name] = fieldToJson(field, source[field.name]);
  return out;
}

/** The JSON body for the payload `kind` of a Core answer, e.g. `device_config` -> DeviceConfigResponse. */
export function responsePayloadToJson(kind: ResponsePayloadKind, value: unknown): JsonObject {
  const field = coreResponseType.fields[kind];
  if (!field || !(field.resolvedType instanceof protobuf.Type)) throw new Error(`CoreResponse has no message field ${kind}`);
  return messageToJson(field.resolvedType, value);
}
