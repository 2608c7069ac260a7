// The one way the pages call the Proxy's JSON API (WIRE.md): POST with a JSON body, and every failure
// sorted into what a person can do about it: a network problem (try again, nothing typed is lost), the
// service not available (no Core connected, or it did not answer), or a refusal with the Core's message.

export type ApiFailureKind = "network" | "unavailable" | "rejected";

export class ApiError extends Error {
  constructor(
    readonly kind: ApiFailureKind,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiAnswer<T> {
  data: T;
  /** The server's clock when it answered (the `Date` header), in ms; undefined without the header. */
  serverTimeMs: number | undefined;
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string" && body.error) return body.error;
  } catch {
    // Not our JSON (e.g. a proxy in front answered): the status says enough.
  }
  return `HTTP ${response.status}`;
}

/** POSTs `body` to `path`; resolves with the parsed answer (null for an empty one), throws ApiError. */
export async function postJson<T>(path: string, body: unknown): Promise<ApiAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("network", 0, "network error");
  }
  if (!response.ok) {
    const kind = response.status === 502 || response.status === 503 || response.status === 504 ? "unavailable" : "rejected";
    throw new ApiError(kind, response.status, await errorMessage(response));
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ApiError("network", 0, "network error");
  }
  const date = response.headers.get("date");
  const serverTimeMs = date ? Date.parse(date) : undefined;
  return { data: (text ? JSON.parse(text) : null) as T, serverTimeMs: Number.isNaN(serverTimeMs) ? undefined : serverTimeMs };
}
