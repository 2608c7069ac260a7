// Routes one CoreRequest from the Proxy to the flow that handles its payload, and turns every outcome,
// including a thrown error or a payload nobody handles, into a CoreResponse with the same id.
import type { CoreRequest__Output, CoreResponse } from "../shared/proto.ts";
import type { DeviceInfo__Output } from "../proto/generated/defguard/proxy/DeviceInfo.ts";
import { AppError, GrpcStatus } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import { findUnsafeString } from "../shared/unsafe-strings.ts";

export type RequestPayloadKind = NonNullable<CoreRequest__Output["payload"]>;
export type ResponsePayloadKind = NonNullable<CoreResponse["payload"]>;

/** A response without its id: exactly one payload field set, e.g. `{ device_config: {...} }`. */
export type ResponseBody = Omit<CoreResponse, "id" | "payload">;

export interface RequestContext {
  /** The HTTP client as the Proxy saw it (address, user agent); absent from old proxies. */
  deviceInfo?: DeviceInfo__Output;
  log: Logger;
  /**
   * Set by a flow once it knows whose request this is (a token's user): observers such as the audit
   * trail name the user from it instead of looking the token up again.
   */
  username?: string;
  /**
   * Security events a flow found beyond the request itself (e.g. codes being guessed), for the audit trail
   * to record with the request's client; `event` is one of the audit trail's event names.
   */
  auditEvents?: { event: string; details?: Record<string, string | number | boolean | null> }[];
}

export type Handler<K extends RequestPayloadKind> = (
  request: NonNullable<CoreRequest__Output[K]>,
  context: RequestContext,
) => Promise<ResponseBody>;

export type HandlerMap = { [K in RequestPayloadKind]?: Handler<K> };

/** Merges handler maps of several flows; a payload claimed twice is a programming error. */
export function combineHandlers(...maps: HandlerMap[]): HandlerMap {
  const combined: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [kind, handler] of Object.entries(map)) {
      if (kind in combined) throw new Error(`two handlers for payload ${kind}`);
      combined[kind] = handler;
    }
  }
  return combined as HandlerMap;
}

function coreError(id: number, code: number, message: string): CoreResponse {
  return { id, core_error: { status_code: code, message } };
}

/** Handles one request; never throws. Unknown errors are logged and answered as INTERNAL. */
export async function dispatch(request: CoreRequest__Output, handlers: HandlerMap, log: Logger): Promise<CoreResponse> {
  const id = request.id ?? 0;
  const kind = request.payload;
  if (!kind) return coreError(id, GrpcStatus.INVALID_ARGUMENT, "request carries no payload");
  const handler = handlers[kind] as Handler<typeof kind> | undefined;
  if (!handler) return coreError(id, GrpcStatus.UNIMPLEMENTED, `${kind} is not implemented by this core`);
  // NUL, lone surrogates, huge strings: refused here, before a flow hands them to the database.
  const unsafe = findUnsafeString(request[kind]);
  if (unsafe) return coreError(id, GrpcStatus.INVALID_ARGUMENT, `${unsafe.field}: ${unsafe.problem}`);
  try {
    const body = await handler(request[kind] as never, { deviceInfo: request.device_info ?? undefined, log });
    return { id, ...body };
  } catch (err) {
    if (err instanceof AppError) {
      log.debug(`${kind} rejected`, { code: err.code, reason: err.message });
      return coreError(id, err.code, err.message);
    }
    log.error(`${kind} failed`, { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    return coreError(id, GrpcStatus.INTERNAL, "internal error");
  }
}
