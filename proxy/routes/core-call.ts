// The step every public route shares: send a payload (with device_info) to a Core, turn core_error into
// AppError (mapped to HTTP in one place, the error handler), and answer with the payload's JSON.
import type { Context } from "hono";
import { AppError, type GrpcStatus, internal } from "../../shared/errors.ts";
import type { CoreResponse__Output } from "../../shared/proto.ts";
import type { CoreGateway, RequestBody } from "../core-links.ts";
import type { AppEnv } from "../http/app-env.ts";
import { deviceInfoOf } from "../http/device-info.ts";
import type { SessionCookies } from "../http/session-cookies.ts";
import { type ResponsePayloadKind, responsePayloadToJson } from "../wire-json.ts";

/** What every flow's router needs. */
export interface RouteDeps {
  core: CoreGateway;
  cookies: SessionCookies;
}

/** The payload kinds a successful answer may carry. */
export type AnswerKind = Exclude<ResponsePayloadKind, "core_error">;
export type Answer<K extends AnswerKind> = NonNullable<CoreResponse__Output[K]>;

/**
 * Sends `request` to a Core and returns the `expected` payload of its answer.
 * Throws AppError: the Core's own code for core_error, UNAVAILABLE/DEADLINE_EXCEEDED from the link,
 * INTERNAL when the Core answers with another payload kind.
 */
export async function askCore<K extends AnswerKind>(
  c: Context<AppEnv>,
  core: CoreGateway,
  request: Omit<RequestBody, "device_info">,
  expected: K,
): Promise<Answer<K>> {
  const response = await core.send({ ...request, device_info: deviceInfoOf(c) });
  if (response.payload === "core_error") {
    const error = response.core_error;
    throw new AppError((error?.status_code ?? 2) as GrpcStatus, error?.message ?? "");
  }
  const value = response.payload === expected ? response[expected] : undefined;
  if (value === undefined || value === null) {
    throw internal(`Defguard Core answered ${response.payload ?? "nothing"} where ${expected} was expected`);
  }
  return value as Answer<K>;
}

/** The HTTP answer for a payload: 200 with an empty body for `empty`, else the payload as JSON. */
export function reply<K extends AnswerKind>(c: Context<AppEnv>, kind: K, value: Answer<K>): Response {
  if (kind === "empty") return c.body(null, 200);
  return c.json(responsePayloadToJson(kind, value));
}
