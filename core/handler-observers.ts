// Watching what the Core's flows answer without touching them: wraps every handler of a HandlerMap so
// that observers (metrics, the audit trail) learn each request's payload kind, client, outcome and time.
// An observer that throws is ignored: observing must never change an answer.
import type { Handler, HandlerMap, RequestContext, RequestPayloadKind, ResponseBody } from "./dispatcher.ts";
import type { CoreRequest__Output } from "../shared/proto.ts";

export type HandlerOutcome = { ok: true; response: ResponseBody } | { ok: false; error: unknown };

export interface HandledRequest<K extends RequestPayloadKind = RequestPayloadKind> {
  kind: K;
  request: NonNullable<CoreRequest__Output[K]>;
  context: RequestContext;
  outcome: HandlerOutcome;
  durationMs: number;
}

export type HandlerObserver = (handled: HandledRequest) => void;

function notifyAll(observers: HandlerObserver[], handled: HandledRequest): void {
  for (const observe of observers) {
    try {
      observe(handled);
    } catch {
      // An observer's bug must not turn a handled request into a failed one.
    }
  }
}

/** The same handlers, each reporting to `observers` after it answered or threw (the throw goes on). */
export function observeHandlers(handlers: HandlerMap, observers: HandlerObserver[]): HandlerMap {
  if (observers.length === 0) return handlers;
  const observed: Record<string, Handler<RequestPayloadKind>> = {};
  for (const [kind, handler] of Object.entries(handlers) as [RequestPayloadKind, Handler<RequestPayloadKind>][]) {
    observed[kind] = async function observedHandler(request, context) {
      const started = performance.now();
      const report = (outcome: HandlerOutcome) =>
        notifyAll(observers, { kind, request, context, outcome, durationMs: performance.now() - started } as HandledRequest);
      try {
        const response = await handler(request, context);
        report({ ok: true, response });
        return response;
      } catch (error) {
        report({ ok: false, error });
        throw error;
      }
    };
  }
  return observed as HandlerMap;
}
